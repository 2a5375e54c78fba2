import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSecret, createTokenProvider, isSpecialScope, SCOPES, type TokenProvider } from '@scopebound/token';
import { redisStore, type RedisStore, type RedisStoreEvent } from '../src/index';
import { CLIENT_KINDS, connect, eventually, ownRedis, type OwnRedis, type TestClient } from './helpers';
import { countingTokenServer, type CountingTokenServer } from './token-server';

const ROUNDS = 60;
const CALLS_PER_ROUND = 20;
const KILL_AT = 20;
const RESTART_AT = 40;
/** A fresh scope for every round, so every round needs the store (L1 cannot answer it). */
const FRESH = SCOPES.filter((s) => !isSpecialScope(s) && s.startsWith('read:')).slice(0, ROUNDS + 2);

interface Process {
  client: TestClient;
  store: RedisStore;
  tokens: TokenProvider;
  events: RedisStoreEvent[];
  warnings: string[];
}

describe.each(CLIENT_KINDS)('Redis (%s) killed mid-run', (kind) => {
  let redis: OwnRedis;
  let server: CountingTokenServer;
  const processes: Process[] = [];

  async function startProcess(): Promise<Process> {
    const client = await connect(kind, redis.port);
    const events: RedisStoreEvent[] = [];
    const warnings: string[] = [];
    const store = redisStore({
      client: client.client,
      prefix: 'outage:',
      commandTimeoutMs: 2_000, // generous: a busy CI machine must not look like an outage before the kill
      onEvent: (e) => events.push(e),
      logger: { warn: (m: string) => warnings.push(m), info: () => {} },
    });
    const tokens = createTokenProvider({
      domain: 'outage.example.com',
      baseUrl: server.url,
      credentials: clientSecret({ clientId: 'outage-app', clientSecret: 'outage-secret-value' }),
      store,
    });
    const p = { client, store, tokens, events, warnings };
    processes.push(p);
    return p;
  }

  beforeAll(async () => {
    redis = await ownRedis();
    server = await countingTokenServer({ grants: 'requested', delayMs: 10 });
  });
  afterAll(async () => {
    for (const p of processes) {
      await p.tokens.settle();
      await p.store.close();
      await p.client.close();
    }
    await server?.close();
    await redis?.kill();
  });

  it('serves every call, mints locally while Redis is down, and shares tokens again after a restart', async () => {
    const a = await startProcess();
    const b = await startProcess();
    const mintsOf = (scope: string) => server.mints.get(scope) ?? 0;
    const failures: unknown[] = [];
    let calls = 0;
    let slowestDuringOutage = 0; // measured and printed, not asserted (no wall-clock assertions)

    for (let round = 0; round < ROUNDS; round++) {
      const fresh = FRESH[round]!;
      const work = Array.from({ length: CALLS_PER_ROUND }, (_, i) => {
        const p = i % 2 ? a : b;
        const scopes = i % 4 < 2 ? [fresh] : [FRESH[Math.max(0, round - 1)]!];
        const started = performance.now();
        return p.tokens.getToken(scopes).finally(() => {
          if (round > KILL_AT && round < RESTART_AT) slowestDuringOutage = Math.max(slowestDuringOutage, performance.now() - started);
        });
      });
      const side = round === KILL_AT ? redis.kill() : round === RESTART_AT ? redis.start() : Promise.resolve();
      const results = await Promise.allSettled(work);
      await side;
      calls += results.length;
      for (const r of results) if (r.status === 'rejected') failures.push(r.reason);
    }

    expect(calls).toBe(ROUNDS * CALLS_PER_ROUND);
    expect(failures).toEqual([]);
    // Before the outage the two processes shared one mint per scope.
    for (let round = 0; round < KILL_AT; round++) expect(mintsOf(FRESH[round]!)).toBe(1);
    // While Redis was down each process minted for itself (local minting, no shared single-flight).
    const outageRounds = FRESH.slice(KILL_AT + 1, RESTART_AT);
    expect(outageRounds.every((s) => mintsOf(s) >= 1)).toBe(true);
    expect(outageRounds.filter((s) => mintsOf(s) === 2).length).toBeGreaterThan(0);
    // Logged once per outage per process, not once per call.
    for (const p of [a, b]) {
      expect(p.events.filter((e) => e.type === 'unavailable')).toHaveLength(1);
      expect(p.warnings).toHaveLength(1);
    }

    // Recovery on its own: the clients reconnect and the next command succeeds.
    for (const p of [a, b]) {
      await eventually(async () => (await p.store.get('probe').then(() => true, () => false)) && p.store.health().available, 200, 25);
      expect(p.events.filter((e) => e.type === 'recovered')).toHaveLength(1);
    }
    const last = FRESH[ROUNDS]!;
    const [fromA, fromB] = await Promise.all([a.tokens.getToken([last]), b.tokens.getToken([last])]);
    expect(mintsOf(last)).toBe(1);
    expect(fromA.value === fromB.value).toBe(true);
    const localMints = outageRounds.reduce((n, s) => n + mintsOf(s), 0);
    console.info(
      `[outage ${kind}] ${calls} calls, 0 failed; ${localMints} local mints for ${outageRounds.length} scopes while down; ` +
        `slowest call during the outage ${Math.round(slowestDuringOutage)} ms (commandTimeoutMs 2000, token server delay 10 ms)`,
    );
  }, 60_000);
});
