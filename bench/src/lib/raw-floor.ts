/**
 * What the per-call benches (overhead, instrumentation) start from: their settings, the fixed server in a child
 * process, and the floor they are measured against — a token minted once by hand and what a raw undici request
 * for one user needs (headers, path, a keep-alive agent).
 */
import { Agent } from 'undici';
import { startChild, type Child } from './child';
import { captureEnv } from './env';
import { envInt } from './results';

export const USER_ID = 'auth0|000000000000000000000001';

export interface RawFloor {
  readonly headers: Record<string, string>;
  readonly path: string;
  readonly agent: Agent;
}

export interface PerCallBench {
  readonly config: { rounds: number; measureMs: number; warmupMs: number; userId: string };
  readonly env: ReturnType<typeof captureEnv>;
  readonly server: Child;
  readonly origin: string;
  readonly floor: RawFloor;
}

export async function rawFloor(origin: string, userId: string): Promise<RawFloor> {
  const tokenRes = await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'raw', client_secret: 'raw-secret', audience: `${origin}/api/v2/` }),
  });
  const rawToken = ((await tokenRes.json()) as { access_token: string }).access_token;
  return {
    headers: { authorization: `Bearer ${rawToken}`, accept: 'application/json' },
    path: `/api/v2/users/${encodeURIComponent(userId)}`,
    agent: new Agent({ keepAliveTimeout: 10_000 }),
  };
}

/** Settings from BENCH_ROUNDS / BENCH_MEASURE_MS / BENCH_WARMUP_MS, the fixed server started, the floor ready. */
export async function startPerCallBench(): Promise<PerCallBench> {
  const config = { rounds: envInt('BENCH_ROUNDS', 7), measureMs: envInt('BENCH_MEASURE_MS', 1500), warmupMs: envInt('BENCH_WARMUP_MS', 300), userId: USER_ID };
  const env = captureEnv();
  const server = await startChild('servers/fixed-server.ts', [JSON.stringify({ grant: 'all', allScopes: ['read:users', 'update:users'] })]);
  const origin = server.ready.origin as string;
  return { config, env, server, origin, floor: await rawFloor(origin, USER_ID) };
}
