/**
 * One adapter over node-redis (v5, v6) and ioredis (v5, v6), single servers and clusters (`createCluster`,
 * `new Cluster`): the few commands the store sends (abortable where the client allows), connection state, and
 * pub/sub (classic on one server, sharded SSUBSCRIBE/SPUBLISH on a cluster).
 */
import { RedisStoreOptionError } from './errors';

/**
 * The subset of a node-redis v5/v6 client (`createClient()`) the store uses.
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

/** The subset of a node-redis v5/v6 cluster (`createCluster()`) the store uses (v5 has no `isReady`). */
export interface NodeRedisClusterLike {
  readonly isOpen: boolean;
  readonly masters: readonly unknown[];
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options?: any): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval(script: string, options?: any): Promise<unknown>;
  duplicate(...args: any[]): any;
  sPublish(channel: string, message: string): Promise<unknown>;
}

/** The subset of an ioredis v5/v6 client (`new Redis()`) or cluster (`new Cluster()`) the store uses. */
export interface IoRedisClientLike {
  readonly status: string;
  get(key: string): Promise<unknown>;
  set(key: string, value: string, ...args: any[]): Promise<unknown>;
  del(...keys: any[]): Promise<unknown>;
  eval(script: string, numKeys: number | string, ...args: any[]): Promise<unknown>;
  duplicate(...args: any[]): any;
  call(...args: any[]): Promise<unknown>;
}

/** A connected node-redis or ioredis client or cluster (v5 or v6). */
export type RedisClientLike = NodeRedisClientLike | NodeRedisClusterLike | IoRedisClientLike;

/** `ready`: send; `connecting`: first connection still pending (send, bounded); `down`: fail fast. */
export type ClientState = 'ready' | 'connecting' | 'down';

export interface Subscription {
  close(): Promise<void>;
}

export interface ClientAdapter {
  readonly kind: 'node-redis' | 'ioredis';
  /** A Redis Cluster: notifications go over sharded pub/sub (SPUBLISH/SSUBSCRIBE). */
  readonly cluster: boolean;
  state(): ClientState;
  get(key: string, signal: AbortSignal): Promise<string | undefined>;
  /** `SET key value PX ttl NX`; true when set. */
  setNxPx(key: string, value: string, ttlMs: number, signal: AbortSignal): Promise<boolean>;
  del(key: string, signal: AbortSignal): Promise<void>;
  eval(script: string, keys: readonly string[], args: readonly string[], signal: AbortSignal): Promise<unknown>;
  /** `PUBLISH` on one server, `SPUBLISH` (to the shard owning `channel`'s slot) on a cluster. */
  publish(channel: string, message: string, signal: AbortSignal): Promise<void>;
  /** Duplicates the connection and subscribes to `channel` (`SSUBSCRIBE` on a cluster). Resolves once subscribed. */
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

function isNodeRedisCluster(client: any): client is NodeRedisClusterLike {
  return (
    Array.isArray(client.masters) &&
    typeof client.sPublish === 'function' &&
    typeof client.duplicate === 'function' &&
    typeof client.isOpen === 'boolean'
  );
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
    throw new RedisStoreOptionError(
      'client',
      'is required: pass a connected node-redis (`createClient()`, `createCluster()`) or ioredis (`new Redis()`, `new Cluster()`) client, v5 or v6.',
    );
  }
  if (isIoRedis(client)) return ioredisAdapter(client, (client as { isCluster?: unknown }).isCluster === true);
  if (isNodeRedisCluster(client)) return nodeRedisAdapter(client, true);
  if (isNodeRedis(client)) return nodeRedisAdapter(client, false);
  throw new RedisStoreOptionError(
    'client',
    'is not a node-redis or ioredis client or cluster, v5 or v6 (expected `isOpen`/`isReady`/`sendCommand`, `masters`/`sPublish` or `status`/`call`).',
  );
}

function nodeRedisAdapter(client: NodeRedisClientLike | NodeRedisClusterLike, cluster: boolean): ClientAdapter {
  const withSignal = (signal: AbortSignal): NodeRedisClientLike | NodeRedisClusterLike => {
    // node-redis drops a command still waiting in its queue when the signal aborts (clients, not clusters).
    const c = client as any;
    return typeof c.withAbortSignal === 'function' ? c.withAbortSignal(signal) : client;
  };
  return {
    kind: 'node-redis',
    cluster,
    state() {
      // A v5 cluster has no `isReady`: open is as good as it tells.
      const ready = (client as { isReady?: unknown }).isReady;
      if (ready === true || (ready === undefined && client.isOpen)) return 'ready';
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
    async publish(channel, message, signal) {
      const c = withSignal(signal) as any;
      await (cluster ? c.sPublish(channel, message) : c.publish(channel, message));
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
        const listener = (message: unknown) => {
          const text = toText(message);
          if (text !== undefined) onMessage(text);
        };
        // On a cluster the duplicate subscribes on the shard owning the channel's slot, and follows it on failover.
        await (cluster ? sub.sSubscribe(channel, listener) : sub.subscribe(channel, listener));
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

function ioredisAdapter(client: IoRedisClientLike, cluster: boolean): ClientAdapter {
  return {
    kind: 'ioredis',
    cluster,
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
    async publish(channel, message) {
      await client.call(cluster ? 'SPUBLISH' : 'PUBLISH', channel, message);
    },
    subscribe(channel, onMessage, onError) {
      // A cluster's duplicate needs `shardedSubscribers` to route SSUBSCRIBE to the shard owning the channel.
      const sub = cluster ? client.duplicate([], { shardedSubscribers: true }) : client.duplicate();
      sub.on('error', onError);
      sub.on(cluster ? 'smessage' : 'message', (ch: string, message: unknown) => {
        if (ch !== channel) return;
        const text = toText(message);
        if (text !== undefined) onMessage(text);
      });
      const ready = Promise.resolve(cluster ? sub.ssubscribe(channel) : sub.subscribe(channel)).then(() => undefined);
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
