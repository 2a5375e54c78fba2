/**
 * Fault-matrix row: Redis killed and restarted mid-run (its own redis-server on a free port, stopped by PID,
 * as packages/redis/test/outage.test.ts does): every call is served, and a second process shares tokens again.
 */
import { clientSecret, createTokenProvider, isSpecialScope, SCOPES } from '@scopebound/token';
import { redisStore } from '../../../redis/src/index';
import { connect, eventually, ownRedis } from '../../../redis/test/helpers';
import { countingTokenServer } from '../../../redis/test/token-server';

const ROUNDS = 30;
const PER_ROUND = 6;
const FRESH = SCOPES.filter((s) => !isSpecialScope(s) && s.startsWith('read:')).slice(0, ROUNDS + 1);

export async function redisOutage(): Promise<{ calls: number; failed: number; recovered: boolean; mintsAfterRestart: number }> {
  const redis = await ownRedis();
  const server = await countingTokenServer({ grants: 'requested' });
  const procs = await Promise.all(
    [0, 1].map(async () => {
      const client = await connect('node-redis', redis.port);
      const store = redisStore({ client: client.client, prefix: 'fm:', commandTimeoutMs: 2_000, logger: { warn: () => {}, info: () => {} } });
      const tokens = createTokenProvider({
        domain: 'fm.example.com',
        baseUrl: server.url,
        credentials: clientSecret({ clientId: 'fm-redis', clientSecret: 'fm-redis-secret-value' }),
        store,
      });
      return { client, store, tokens };
    }),
  );
  let calls = 0;
  let failed = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      if (round === 10) await redis.kill();
      if (round === 20) await redis.start();
      const work = Array.from({ length: PER_ROUND }, (_, i) => (procs[i % 2] as (typeof procs)[number]).tokens.getToken([FRESH[round] as string]));
      for (const r of await Promise.allSettled(work)) {
        calls += 1;
        if (r.status === 'rejected') failed += 1;
      }
    }
    // A command first (it is what notices the restart), then the health flag it updates.
    const probe = (p: (typeof procs)[number]) => p.store.get('probe').then(() => p.store.health().available, () => false);
    const recovered = await eventually(async () => (await Promise.all(procs.map(probe))).every(Boolean), 200, 25).then(
      () => true,
      () => false,
    );
    const last = FRESH[ROUNDS] as string;
    const before = server.totalMints();
    const [a, b] = await Promise.all(procs.map((p) => p.tokens.getToken([last])));
    return { calls, failed, recovered: recovered && a!.value === b!.value, mintsAfterRestart: server.totalMints() - before };
  } finally {
    for (const p of procs) {
      await p.tokens.settle();
      await p.store.close();
      await p.client.close();
    }
    await server.close();
    await redis.kill();
  }
}
