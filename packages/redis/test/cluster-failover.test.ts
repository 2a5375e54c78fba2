import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSecret, createTokenProvider, isSpecialScope, SCOPES, type TokenProvider } from '@scopebound/token';
import { redisStore, type RedisStore, type RedisStoreEvent } from '../src/index';
import { connectCluster, startCluster, type TestCluster } from './cluster';
import { eventually, randomPrefix, type ClientKind, type TestClient } from './helpers';
import { countingTokenServer, type CountingTokenServer } from './token-server';

// A master of a real cluster is SIGKILLed in the middle of a run of getToken calls from two processes; its
// replica is promoted. Killed: the master of the notify channel's shard, so the sharded subscription must
// follow the failover too. Every call must be served. ioredis and node-redis 6 then follow the new topology and
// the fleet shares mints again; node-redis 5 rediscovers a cluster only on MOVED/ASK, which a dead node never
// sends, so its commands for the lost slots keep timing out (the provider keeps minting locally, 0 failed calls)
// until the old master is back.
const ROUNDS = 40;
const CALLS_PER_ROUND = 20;
const KILL_AT = 10;
const FRESH = SCOPES.filter((s) => !isSpecialScope(s) && s.startsWith('read:')).slice(0, ROUNDS + 2);

interface Process {
  client: TestClient;
  store: RedisStore;
  tokens: TokenProvider;
  events: RedisStoreEvent[];
}

const RUNS: readonly { kind: ClientKind; followsFailover: boolean; rounds: number }[] = [
  { kind: 'ioredis', followsFailover: true, rounds: ROUNDS },
  { kind: 'node-redis@6', followsFailover: true, rounds: ROUNDS },
  // Each round after the kill waits out command timeouts for the lost slots: fewer rounds keep the run short.
  { kind: 'node-redis', followsFailover: false, rounds: KILL_AT + 4 },
];

describe.each(RUNS)('a cluster master killed mid-run ($kind)', ({ kind, followsFailover, rounds }) => {
  let cluster: TestCluster;
  let server: CountingTokenServer;
  const processes: Process[] = [];
  const prefix = randomPrefix(`failover-${kind}`);

  async function startProcess(): Promise<Process> {
    const client = await connectCluster(kind, cluster);
    const events: RedisStoreEvent[] = [];
    const store = redisStore({ client: client.client, prefix, commandTimeoutMs: 2_000, onEvent: (e) => events.push(e), logger: false });
    const tokens = createTokenProvider({
      domain: 'failover.example.com',
      baseUrl: server.url,
      credentials: clientSecret({ clientId: 'failover-app', clientSecret: 'failover-secret-value' }),
      store,
    });
    const p = { client, store, tokens, events };
    processes.push(p);
    return p;
  }

  beforeAll(async () => {
    cluster = await startCluster({ nodeTimeoutMs: 1_000 });
    server = await countingTokenServer({ grants: 'requested', delayMs: 10 });
  }, 60_000);
  afterAll(async () => {
    for (const p of processes) {
      await p.tokens.settle();
      await p.store.close();
      await p.client.close();
    }
    await server?.close();
    await cluster?.stop();
  });

  const title = followsFailover
    ? 'serves every call while a replica takes over, then shares tokens again'
    : 'serves every call while a replica takes over (the client keeps the lost slots degraded)';
  it(title, async () => {
    const a = await startProcess();
    const b = await startProcess();
    const mintsOf = (scope: string) => server.mints.get(scope) ?? 0;
    const failures: unknown[] = [];
    let calls = 0;
    const victim = await cluster.masterOf(`${prefix}notify`);
    let failover: Promise<void> = Promise.resolve();

    for (let round = 0; round < rounds; round++) {
      const fresh = FRESH[round]!;
      const work = Array.from({ length: CALLS_PER_ROUND }, (_, i) => {
        const p = i % 2 ? a : b;
        return p.tokens.getToken(i % 4 < 2 ? [fresh] : [FRESH[Math.max(0, round - 1)]!]);
      });
      if (round === KILL_AT) failover = cluster.kill(victim).then(() => cluster.waitHealthy());
      const results = await Promise.allSettled(work);
      calls += results.length;
      for (const r of results) if (r.status === 'rejected') failures.push(r.reason);
    }
    await failover;

    expect(calls).toBe(rounds * CALLS_PER_ROUND);
    expect(failures).toEqual([]);
    // Before the kill the two processes shared one mint per scope set.
    for (let round = 0; round < KILL_AT; round++) expect(mintsOf(FRESH[round]!)).toBe(1);
    // The replica serves the dead master's slots now.
    expect(await cluster.masterOf(`${prefix}notify`)).not.toBe(victim);

    const extraMints = FRESH.slice(KILL_AT, rounds).reduce((n, s) => n + Math.max(0, mintsOf(s) - 1), 0);
    const outages = [a, b].map((p) => p.events.filter((e) => e.type === 'unavailable').length);
    console.info(
      `[cluster failover ${kind}] ${calls} calls, 0 failed; master :${victim} killed at round ${KILL_AT}; ` +
        `${extraMints} extra (local) mints after the kill; unavailable events per process: ${outages.join(', ')}`,
    );
    if (!followsFailover) return;

    // Recovered on its own: both stores answer, and a fresh scope set is minted once for the pair.
    for (const p of [a, b]) {
      await eventually(async () => (await p.store.get('probe').then(() => true, () => false)) && p.store.health().available, 400, 25);
    }
    const last = FRESH[ROUNDS]!;
    const [fromA, fromB] = await Promise.all([a.tokens.getToken([last]), b.tokens.getToken([last])]);
    expect(mintsOf(last)).toBe(1);
    expect(fromA.value === fromB.value).toBe(true);
  }, 90_000);
});
