/**
 * One process of the cold-stampede load: builds a client with an empty cache, reports `ready`, and on `go`
 * fires its share of the calls at once (call i uses operation i mod 20).
 */
import { createManagementClient } from '@scopebound/management';
import { redisStore } from '@scopebound/redis';
import { clientSecret, createTokenProvider, memoryStore } from '@scopebound/token';
import { performance } from 'node:perf_hooks';
import { createClient } from 'redis';
import { auth0Client } from './lib/auth0';
import { serveParent } from './lib/child';
import { methodOf, STAMPEDE_OPS } from './lib/ops';

export interface WorkerConfig {
  sdk: 'scopebound' | 'auth0';
  store: 'memory' | 'redis';
  origin: string;
  redisUrl: string;
  prefix: string;
  /** Global indices of this worker's calls: index, index + workers, … below total. */
  index: number;
  workers: number;
  total: number;
}

export interface WorkerResult {
  calls: number;
  ok: number;
  failed: number;
  firstError?: string;
  elapsedMs: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const CLIENT_ID = 'stampede-app';
const SECRET = 'stampede-app-secret';

let run: () => Promise<unknown>[];
let shutdown = async () => {};

if (config.sdk === 'scopebound') {
  let store;
  if (config.store === 'redis') {
    const redis = createClient({ url: config.redisUrl });
    redis.on('error', () => {});
    await redis.connect();
    const rs = redisStore({ client: redis, prefix: config.prefix, logger: false });
    store = rs;
    shutdown = async () => {
      await rs.close();
      redis.destroy();
    };
  } else store = memoryStore();
  // One provider with the chosen store, shared by the client (the same as `credentials` + the default store).
  const tokens = createTokenProvider({ domain: 'bench.example.com', baseUrl: config.origin, credentials: clientSecret({ clientId: CLIENT_ID, clientSecret: SECRET }), store });
  const client = createManagementClient({ baseUrl: config.origin, tokens });
  const methods = STAMPEDE_OPS.map((op) => methodOf(client, op.name));
  const before = shutdown;
  shutdown = async () => {
    await client.close();
    await tokens.settle();
    await before();
  };
  run = () => {
    const out: Promise<unknown>[] = [];
    for (let i = config.index; i < config.total; i += config.workers) out.push(methods[i % methods.length]!());
    return out;
  };
} else {
  const client = auth0Client({ origin: config.origin, clientId: CLIENT_ID, clientSecret: SECRET });
  run = () => {
    const out: Promise<unknown>[] = [];
    for (let i = config.index; i < config.total; i += config.workers) out.push(STAMPEDE_OPS[i % STAMPEDE_OPS.length]!.auth0(client));
    return out;
  };
}

serveParent({
  go: async (): Promise<WorkerResult> => {
    const start = performance.now();
    const settled = await Promise.allSettled(run());
    const elapsedMs = performance.now() - start;
    const failed = settled.filter((s) => s.status === 'rejected') as PromiseRejectedResult[];
    const first = failed[0]?.reason as Error | undefined;
    return {
      calls: settled.length,
      ok: settled.length - failed.length,
      failed: failed.length,
      ...(first ? { firstError: `${first.name}: ${first.message}`.split('\n')[0] } : {}),
      elapsedMs,
    };
  },
  close: async () => {
    await shutdown();
    return true;
  },
});
process.send?.({ type: 'ready' });
