/** One adapter over node-redis v5 and ioredis v5: the few commands the store sends (abortable), connection state, pub/sub. */
import { RedisStoreOptionError } from './errors';

/**
 * The subset of a node-redis v5 client (`createClient()`; `createCluster()` is not supported) the store uses.
 * Typed loosely on purpose: the real client types are generic and vary across minor versions.
 */
export interface NodeRedisClientLike {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options?: any): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval(script: string, options?: any): Promise<unknown>;
  duplicate(...args: any[]): any;
  sendCommand(...args: any[]): Promise<unknown>;
}

/** The subset of an ioredis v5 client (`new Redis()`; `new Cluster()` is accepted, untested) the store uses. */
export interface IoRedisClientLike {
  readonly status: string;
  get(key: string): Promise<unknown>;
  set(key: string, value: string, ...args: any[]): Promise<unknown>;
  del(...keys: any[]): Promise<unknown>;
  eval(script: string, numKeys: number | string, ...args: any[]): Promise<unknown>;
  duplicate(...args: any[]): any;
  call(...args: any[]): Promise<unknown>;
}

/** A connected node-redis v5 or ioredis v5 client. */
export type RedisClientLike = NodeRedisClientLike | IoRedisClientLike;

/** `ready`: send; `connecting`: first connection still pending (send, bounded); `down`: fail fast. */
export type ClientState = 'ready' | 'connecting' | 'down';

export interface Subscription {
  close(): Promise<void>;
}

export interface ClientAdapter {
  readonly kind: 'node-redis' | 'ioredis';
  state(): ClientState;
  get(key: string, signal: AbortSignal): Promise<string | undefined>;
  /** `SET key value PX ttl NX`; true when set. */
  setNxPx(key: string, value: string, ttlMs: number, signal: AbortSignal): Promise<boolean>;
  del(key: string, signal: AbortSignal): Promise<void>;
  eval(script: string, keys: readonly string[], args: readonly string[], signal: AbortSignal): Promise<unknown>;
  /** Duplicates the connection and subscribes to `channel`. Resolves once subscribed. */
  subscribe(channel: string, onMessage: (message: string) => void, onError: (error: unknown) => void): {
    ready: Promise<void>;
    subscription: Subscription;
  };
}

function toText(reply: unknown): string | undefined {
  if (reply === null || reply === undefined) return undefined;
  if (typeof reply === 'string') return reply;
  if (reply instanceof Uint8Array) return Buffer.from(reply).toString('utf8');
  return String(reply);
}

function isIoRedis(client: any): client is IoRedisClientLike {
  return typeof client.call === 'function' && typeof client.status === 'string' && typeof client.duplicate === 'function';
}

function isNodeRedis(client: any): client is NodeRedisClientLike {
  return (
    typeof client.sendCommand === 'function' &&
    typeof client.duplicate === 'function' &&
    typeof client.isOpen === 'boolean' &&
    typeof client.isReady === 'boolean'
  );
}

export function adaptClient(client: unknown): ClientAdapter {
  if (typeof client !== 'object' || client === null) {
    throw new RedisStoreOptionError('client', 'is required: pass a connected node-redis v5 (`createClient()`) or ioredis v5 (`new Redis()`) client.');
  }
  if (isIoRedis(client)) return ioredisAdapter(client);
  if (isNodeRedis(client)) return nodeRedisAdapter(client);
  throw new RedisStoreOptionError(
    'client',
    'is not a node-redis v5 or ioredis v5 client (expected `isOpen`/`isReady`/`sendCommand` or `status`/`call`).',
  );
}

function nodeRedisAdapter(client: NodeRedisClientLike): ClientAdapter {
  const withSignal = (signal: AbortSignal): NodeRedisClientLike => {
    // node-redis v5 drops a command still waiting in its queue when the signal aborts.
    const c = client as any;
    return typeof c.withAbortSignal === 'function' ? c.withAbortSignal(signal) : client;
  };
  return {
    kind: 'node-redis',
    state() {
      if (client.isReady) return 'ready';
      return client.isOpen ? 'connecting' : 'down';
    },
    async get(key, signal) {
      return toText(await withSignal(signal).get(key));
    },
    async setNxPx(key, value, ttlMs, signal) {
      const reply = await withSignal(signal).set(key, value, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } });
      return reply !== null && reply !== undefined;
    },
    async del(key, signal) {
      await withSignal(signal).del(key);
    },
    eval(script, keys, args, signal) {
      return withSignal(signal).eval(script, { keys: [...keys], arguments: [...args] });
    },
    subscribe(channel, onMessage, onError) {
      const sub = client.duplicate();
      sub.on('error', onError);
      let closed = false;
      const destroy = () => {
        try {
          if (typeof sub.destroy === 'function') sub.destroy();
          else void Promise.resolve(sub.disconnect()).catch(() => {});
        } catch {
          // already closed
        }
      };
      const ready = (async () => {
        await sub.connect();
        await sub.subscribe(channel, (message: unknown) => {
          const text = toText(message);
          if (text !== undefined) onMessage(text);
        });
        if (closed) destroy();
      })();
      return {
        ready,
        subscription: {
          async close() {
            closed = true;
            destroy();
          },
        },
      };
    },
  };
}

function ioredisAdapter(client: IoRedisClientLike): ClientAdapter {
  return {
    kind: 'ioredis',
    state() {
      switch (client.status) {
        case 'ready':
        case 'wait': // lazyConnect: the first command connects
          return 'ready';
        case 'connecting':
        case 'connect':
          return 'connecting';
        default: // reconnecting, close, end
          return 'down';
      }
    },
    async get(key) {
      return toText(await client.get(key));
    },
    async setNxPx(key, value, ttlMs) {
      const reply = await client.set(key, value, 'PX', ttlMs, 'NX');
      return reply !== null && reply !== undefined;
    },
    async del(key) {
      await client.del(key);
    },
    eval(script, keys, args) {
      return client.eval(script, keys.length, ...keys, ...args);
    },
    subscribe(channel, onMessage, onError) {
      const sub = client.duplicate();
      sub.on('error', onError);
      sub.on('message', (ch: string, message: unknown) => {
        if (ch !== channel) return;
        const text = toText(message);
        if (text !== undefined) onMessage(text);
      });
      const ready = Promise.resolve(sub.subscribe(channel)).then(() => undefined);
      return {
        ready,
        subscription: {
          async close() {
            sub.disconnect();
          },
        },
      };
    },
  };
}
