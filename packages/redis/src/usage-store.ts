/**
 * `redisUsageStore({ client })`: a fleet's shared usage record (`@scopebound/management/usage`) in one Redis hash,
 * merged atomically by a script (counts added, clients and grants united), so every process of a fleet can add
 * its recorder's snapshot and one of them reads the whole fleet's usage for `scopebound grants plan`.
 */
import { mergeUsage, emptyUsage, parseUsage, usageKey, type UsageData } from '@scopebound/management/usage';
import { adaptClient } from './client-adapter';
import { RedisStoreOptionError, RedisUnavailableError } from './errors';

export interface RedisUsageStoreOptions {
  /** A connected node-redis (v5) or ioredis client. */
  client: unknown;
  /** Key prefix (default `scopebound`); the hash is `{prefix}:usage` (one slot on a cluster). */
  prefix?: string;
  /** Longest a command may take (ms, default 2000). */
  commandTimeoutMs?: number;
}

export interface RedisUsageStore {
  /** Merge a recorder's snapshot into the fleet's record. */
  add(data: UsageData): Promise<void>;
  /** Everything the fleet recorded (validated). */
  read(): Promise<UsageData>;
  /** Forget it (after a plan was made from it). */
  clear(): Promise<void>;
}

// Fields: "c\n<call>" → count, "k\n<call>\n<client>" → 1, "g\n<client>\n<scope>" → 1 (call = its identity as JSON).
const ADD = `
local entries = cjson.decode(ARGV[1])
for _, e in ipairs(entries) do
  if e[1] == 'c' then redis.call('HINCRBY', KEYS[1], e[2], e[3]) else redis.call('HSET', KEYS[1], e[2], '1') end
end
return #entries`;
const READ = `return redis.call('HGETALL', KEYS[1])`;
const CLEAR = `return redis.call('DEL', KEYS[1])`;

export function redisUsageStore(options: RedisUsageStoreOptions): RedisUsageStore {
  if (typeof options !== 'object' || options === null) throw new RedisStoreOptionError('options', 'must be an object such as { client }.');
  const adapter = adaptClient(options.client);
  const prefix = options.prefix ?? 'scopebound';
  if (typeof prefix !== 'string' || !/^[\w:.-]{1,64}$/.test(prefix)) throw new RedisStoreOptionError('prefix', 'must be 1–64 letters, digits, ":", "." or "-".');
  const timeout = options.commandTimeoutMs ?? 2_000;
  const key = `{${prefix}}:usage`;
  const run = async (what: string, script: string, args: readonly string[]) => {
    try {
      return await adapter.eval(script, [key], args, AbortSignal.timeout(timeout));
    } catch (error) {
      throw new RedisUnavailableError(what, 'error', error instanceof Error ? error.message : String(error));
    }
  };
  return {
    async add(data) {
      const entries: (string | number)[][] = [];
      for (const call of data.calls) {
        const id = usageKey(call);
        entries.push(['c', `c\n${id}`, call.count]);
        for (const client of call.clients) entries.push(['k', `k\n${id}\n${client}`]);
      }
      for (const [client, scopes] of Object.entries(data.grants)) for (const s of scopes) entries.push(['g', `g\n${client}\n${s}`]);
      if (entries.length > 0) await run('EVAL usage add', ADD, [JSON.stringify(entries)]);
    },
    async read() {
      const flat = (await run('EVAL usage read', READ, [])) as unknown[] | Record<string, string>;
      const pairs: [string, string][] = Array.isArray(flat)
        ? Array.from({ length: flat.length / 2 }, (_, i) => [String(flat[2 * i]), String(flat[2 * i + 1])])
        : Object.entries(flat);
      const counts = new Map<string, number>();
      const clients = new Map<string, string[]>();
      const grants: Record<string, string[]> = {};
      for (const [field, value] of pairs) {
        const [kind, a, b] = field.split('\n');
        if (kind === 'c') counts.set(a!, Number(value));
        else if (kind === 'k') clients.set(a!, [...(clients.get(a!) ?? []), b!]);
        else if (kind === 'g') (grants[a!] ??= []).push(b!);
      }
      const calls = [...counts].map(([id, count]) => {
        const [operation, route, label, alternatives] = JSON.parse(id) as [string, string, string, string[][]];
        return { operation, route, label, alternatives, count, clients: clients.get(id) ?? [] };
      });
      // Validated like a usage file: a foreign or damaged hash is a clear error, not a bad plan.
      return mergeUsage(emptyUsage(), parseUsage({ format: 'scopebound-usage', version: 1, calls, grants }, `Redis hash ${key}`));
    },
    async clear() {
      await run('EVAL usage clear', CLEAR, []);
    },
  };
}
