import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { Redis as Redis6 } from 'ioredis6';
import { Redis as Valkey } from 'iovalkey';
import { createClient } from 'redis';
import { createClient as createClient6 } from 'redis6';
import type { StoredToken } from '@scopebound/token';
import type { RedisClientLike } from '../src/index';

export const REDIS_HOST = '127.0.0.1';
export const REDIS_PORT = Number(process.env.SCOPEBOUND_REDIS_PORT ?? 6379);

export type ClientKind = 'node-redis' | 'ioredis' | 'node-redis@6' | 'ioredis@6' | 'iovalkey';
/** The current majors' clients most tests run with (node-redis 5, ioredis 5). */
export const CLIENT_KINDS: readonly ClientKind[] = ['node-redis', 'ioredis'];
/** Every supported client major (the peer dependency ranges), and Valkey's fork of ioredis: the contract suite runs on each. */
export const ALL_CLIENT_KINDS: readonly ClientKind[] = ['node-redis', 'node-redis@6', 'ioredis', 'ioredis@6', 'iovalkey'];

/** A unique prefix per test run: tests never touch keys they did not create. */
export function randomPrefix(label = 'test'): string {
  return `scopebound-test:${label}:${randomBytes(6).toString('hex')}:`;
}

export interface TestClient {
  readonly client: RedisClientLike;
  close(): Promise<void>;
}

/** Connects a client and waits until it is ready (bounded). Errors are swallowed: tests kill servers on purpose. */
export async function connect(kind: ClientKind, port = REDIS_PORT, extra: Record<string, unknown> = {}): Promise<TestClient> {
  if (kind === 'node-redis' || kind === 'node-redis@6') {
    const create = (kind === 'node-redis' ? createClient : createClient6) as typeof createClient;
    const client = create({
      socket: { host: REDIS_HOST, port, connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 200) },
      ...extra,
    });
    client.on('error', () => {});
    await client.connect();
    return {
      client: client as unknown as RedisClientLike,
      async close() {
        if (client.isOpen) client.destroy();
      },
    };
  }
  const IoRedis = (kind === 'ioredis' ? Redis : kind === 'iovalkey' ? Valkey : Redis6) as typeof Redis;
  const client = new IoRedis({
    host: REDIS_HOST,
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: (times: number) => Math.min(50 * 2 ** times, 200),
    ...extra,
  });
  client.on('error', () => {});
  await client.connect();
  return {
    client,
    async close() {
      client.disconnect();
    },
  };
}

/** Deletes every key under `prefix` (SCAN + DEL; never FLUSHALL). */
export async function cleanup(prefix: string, port = REDIS_PORT): Promise<void> {
  const admin = new Redis({ host: REDIS_HOST, port, lazyConnect: true, maxRetriesPerRequest: 1 });
  admin.on('error', () => {});
  try {
    await admin.connect();
    let cursor = '0';
    for (let i = 0; i < 10_000; i++) {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    admin.disconnect();
  }
}

/** A raw ioredis connection to inspect what the store wrote. */
export async function rawClient(port = REDIS_PORT): Promise<Redis> {
  const raw = new Redis({ host: REDIS_HOST, port, lazyConnect: true, maxRetriesPerRequest: 1 });
  raw.on('error', () => {});
  await raw.connect();
  return raw;
}

export function sampleToken(overrides: Partial<StoredToken> = {}): StoredToken {
  return {
    accessToken: `eyJhbGciOiJSUzI1NiJ9.secret-${randomBytes(8).toString('hex')}.sig`,
    tokenType: 'Bearer',
    scopes: ['read:users', 'update:users'],
    expiresAt: 4_102_444_800_000,
    mintedAt: 1_700_000_000_000,
    clientId: 'client-abc',
    ...overrides,
  };
}

/** Polls `check` until it returns true, at most `attempts` times `everyMs` apart. */
export async function eventually(check: () => boolean | Promise<boolean>, attempts = 200, everyMs = 10): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`condition not met after ${attempts} attempts`);
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, REDIS_HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A throwaway redis-server on its own free port that a test may kill and restart. */
export interface OwnRedis {
  readonly port: number;
  start(): Promise<void>;
  kill(): Promise<void>;
}

export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const own: OwnRedis = {
    port,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', REDIS_HOST, '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
      const probe = new Redis({ host: REDIS_HOST, port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => {});
      try {
        await eventually(async () => {
          try {
            if (probe.status !== 'ready') await probe.connect();
            return (await probe.ping()) === 'PONG';
          } catch {
            probe.disconnect();
            return false;
          }
        }, 100, 50);
      } finally {
        probe.disconnect();
      }
    },
    async kill() {
      const current = child;
      child = undefined;
      if (!current || current.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        current.once('exit', () => resolve());
        current.kill('SIGKILL');
      });
    },
  };
  await own.start();
  return own;
}
