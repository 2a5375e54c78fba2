import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redisStore, RedisStoreOptionError } from '../src/index';

/** Structural stand-ins: validation happens before any command is sent. */
const nodeRedisLike = { isOpen: true, isReady: true, sendCommand: async () => null, duplicate: () => ({}), get: async () => null, set: async () => null, del: async () => 0, eval: async () => 0 };
const ioredisLike = { status: 'ready', call: async () => null, duplicate: () => ({}), get: async () => null, set: async () => null, del: async () => 0, eval: async () => 0 };

function optionError(fn: () => unknown): RedisStoreOptionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RedisStoreOptionError);
    return error as RedisStoreOptionError;
  }
  throw new Error('expected redisStore() to throw');
}

describe('redisStore() option validation', () => {
  it('accepts both client shapes and detects which one it got', () => {
    expect(String(Object(redisStore({ client: nodeRedisLike as any, logger: false }))[Symbol.for('nodejs.util.inspect.custom')]())).toContain('node-redis');
    expect(String(Object(redisStore({ client: ioredisLike as any, logger: false }))[Symbol.for('nodejs.util.inspect.custom')]())).toContain('ioredis');
  });

  it.each([
    ['options', () => redisStore(undefined as any)],
    ['client', () => redisStore({} as any)],
    ['client', () => redisStore({ client: { get() {} } } as any)],
    ['prefix', () => redisStore({ client: ioredisLike as any, prefix: '' })],
    ['leaseMs', () => redisStore({ client: ioredisLike as any, leaseMs: 0 })],
    ['leaseMs', () => redisStore({ client: ioredisLike as any, leaseMs: Number.NaN })],
    ['commandTimeoutMs', () => redisStore({ client: ioredisLike as any, commandTimeoutMs: -1 })],
    ['commandTimeoutMs', () => redisStore({ client: ioredisLike as any, commandTimeoutMs: '100' as any })],
    ['pollIntervalMs', () => redisStore({ client: ioredisLike as any, pollIntervalMs: 1 })],
    ['onEvent', () => redisStore({ client: ioredisLike as any, onEvent: 'log' as any })],
    ['logger', () => redisStore({ client: ioredisLike as any, logger: {} as any })],
    ['encryptionKey', () => redisStore({ client: ioredisLike as any, encryptionKey: [] })],
    ['encryptionKey', () => redisStore({ client: ioredisLike as any, encryptionKey: 'key' as any })],
    ['encryptionKey.id', () => redisStore({ client: ioredisLike as any, encryptionKey: { id: 'has space', key: randomBytes(32) } })],
    ['encryptionKey.key', () => redisStore({ client: ioredisLike as any, encryptionKey: { id: 'k', key: randomBytes(16) } })],
    ['encryptionKey.key', () => redisStore({ client: ioredisLike as any, encryptionKey: { id: 'k', key: 'c2hvcnQ=' } })],
    ['encryptionKey[1].id', () => redisStore({ client: ioredisLike as any, encryptionKey: [{ id: 'k', key: randomBytes(32) }, { id: 'k', key: randomBytes(32) }] })],
  ])('names the bad option `%s`', (option, fn) => {
    const error = optionError(fn);
    expect(error.code).toBe('ERR_REDIS_STORE_INVALID_OPTION');
    expect(error.option).toBe(option);
    expect(error.message).toContain(`\`${option}\``);
  });

  it('never echoes a bad key into the error', () => {
    const material = randomBytes(31);
    const error = optionError(() => redisStore({ client: ioredisLike as any, encryptionKey: { id: 'k', key: material.toString('base64') } }));
    expect(error.message).not.toContain(material.toString('base64'));
    expect(JSON.stringify(error)).not.toContain(material.toString('base64'));
  });
});
