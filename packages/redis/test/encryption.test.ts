import { createHash, createSecretKey, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { redisStore, type EncryptionKey, type RedisStore, type RedisStoreEvent } from '../src/index';
import { CLIENT_KINDS, cleanup, connect, randomPrefix, rawClient, sampleToken, type TestClient } from './helpers';

const keyA: EncryptionKey = { id: 'key-a', key: randomBytes(32) };
const keyB: EncryptionKey = { id: 'key-b', key: randomBytes(32).toString('base64') };
const keyAImpostor: EncryptionKey = { id: 'key-a', key: randomBytes(32) };

describe.each(CLIENT_KINDS)('encryption at rest with %s', (kind) => {
  const prefix = randomPrefix(`enc-${kind}`);
  let client: TestClient;
  let raw: Redis;
  const stores: RedisStore[] = [];
  const events: RedisStoreEvent[] = [];
  const redisKey = (providerKey: string) => `${prefix}token:${createHash('sha256').update(providerKey).digest('base64url')}`;

  function make(encryptionKey?: EncryptionKey | EncryptionKey[]): RedisStore {
    const store = redisStore({ client: client.client, prefix, encryptionKey, logger: false, onEvent: (e) => events.push(e) });
    stores.push(store);
    return store;
  }

  beforeAll(async () => {
    client = await connect(kind);
    raw = await rawClient();
  });
  afterEach(async () => {
    events.length = 0;
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await cleanup(prefix);
    await client.close();
    raw.disconnect();
  });

  it('stores values unreadable without the key: no token, scope or client id in Redis', async () => {
    const store = make(keyA);
    const token = sampleToken();
    await store.set('k1', token, 60_000);
    const stored = (await raw.get(redisKey('k1')))!;
    expect(stored).not.toContain(token.accessToken);
    expect(stored).not.toContain('read:users');
    expect(stored).not.toContain('client-abc');
    expect(Object.keys(JSON.parse(stored)).sort()).toEqual(['alg', 'ct', 'iv', 'kid', 'tag', 'v']);
    expect(JSON.parse(stored)).toMatchObject({ v: 1, alg: 'A256GCM', kid: 'key-a' });
    expect(await store.get('k1')).toEqual(token);
  });

  it('uses a fresh IV for every write', async () => {
    const store = make(keyA);
    const token = sampleToken();
    await store.set('k-iv', token, 60_000);
    const first = JSON.parse((await raw.get(redisKey('k-iv')))!);
    await store.set('k-iv', token, 60_000);
    const second = JSON.parse((await raw.get(redisKey('k-iv')))!);
    expect(first.iv).not.toBe(second.iv);
    expect(first.ct).not.toBe(second.ct);
  });

  it('treats a wrong key (same id) as a miss and reports it', async () => {
    await make(keyA).set('k-wrong', sampleToken(), 60_000);
    expect(await make(keyAImpostor).get('k-wrong')).toBeUndefined();
    expect(events).toContainEqual(expect.objectContaining({ type: 'invalid-value', reason: 'decryption-failed', keyId: 'key-a' }));
  });

  it.each([
    ['ciphertext', 'ct'],
    ['auth tag', 'tag'],
    ['iv', 'iv'],
  ])('detects a tampered %s: a miss and an event, never an error', async (_label, field) => {
    const store = make(keyA);
    await store.set('k-tamper', sampleToken(), 60_000);
    const envelope = JSON.parse((await raw.get(redisKey('k-tamper')))!);
    const bytes = Buffer.from(envelope[field], 'base64url');
    bytes[0] = bytes[0]! ^ 0x01;
    envelope[field] = bytes.toString('base64url');
    await raw.set(redisKey('k-tamper'), JSON.stringify(envelope), 'PX', 60_000);
    expect(await store.get('k-tamper')).toBeUndefined();
    expect(events).toContainEqual(expect.objectContaining({ type: 'invalid-value', reason: 'decryption-failed' }));
  });

  it('binds a value to its key: a ciphertext copied to another key does not decrypt', async () => {
    const store = make(keyA);
    await store.set('k-src', sampleToken(), 60_000);
    await raw.set(redisKey('k-dst'), (await raw.get(redisKey('k-src')))!, 'PX', 60_000);
    expect(await store.get('k-dst')).toBeUndefined();
    expect(events).toContainEqual(expect.objectContaining({ type: 'invalid-value', reason: 'decryption-failed' }));
  });

  it('refuses a plaintext value planted where encryption is on, and garbage', async () => {
    const store = make(keyA);
    await raw.set(redisKey('k-planted'), JSON.stringify({ v: 1, t: sampleToken() }), 'PX', 60_000);
    expect(await store.get('k-planted')).toBeUndefined();
    await raw.set(redisKey('k-garbage'), 'not json{', 'PX', 60_000);
    expect(await store.get('k-garbage')).toBeUndefined();
    expect(events.map((e) => e.type === 'invalid-value' && e.reason)).toEqual(['plaintext-rejected', 'malformed']);
  });

  it('a store without a key reports encrypted values as misses', async () => {
    await make(keyA).set('k-nokey', sampleToken(), 60_000);
    expect(await make().get('k-nokey')).toBeUndefined();
    expect(events).toContainEqual(expect.objectContaining({ type: 'invalid-value', reason: 'encrypted-without-key', keyId: 'key-a' }));
  });

  it('rotates keys: the first key writes, every listed key reads, a retired key is a miss', async () => {
    const token = sampleToken();
    const old = make(keyA);
    await old.set('k-rot', token, 60_000);

    // Step 1 of a rotation: deploy [new, old]; old values still read, new values are written with the new key.
    const rotated = make([keyB, keyA]);
    expect(await rotated.get('k-rot')).toEqual(token);
    const fresh = sampleToken();
    await rotated.set('k-rot-new', fresh, 60_000);
    expect(JSON.parse((await raw.get(redisKey('k-rot-new')))!).kid).toBe('key-b');

    // A node still on the old key alone cannot read the new value: a miss, not an error.
    expect(await old.get('k-rot-new')).toBeUndefined();
    expect(events).toContainEqual(expect.objectContaining({ type: 'invalid-value', reason: 'unknown-key-id', keyId: 'key-b' }));

    // Step 2: retire the old key once its values have expired.
    const retired = make([keyB]);
    expect(await retired.get('k-rot-new')).toEqual(fresh);
    expect(await retired.get('k-rot')).toBeUndefined();
  });

  it('accepts KeyObject and base64url keys', async () => {
    const material = randomBytes(32);
    const token = sampleToken();
    await make({ id: 'ko', key: createSecretKey(material) }).set('k-ko', token, 60_000);
    expect(await make({ id: 'ko', key: material.toString('base64url') }).get('k-ko')).toEqual(token);
  });

  it('never shows key material in inspect, events or errors', async () => {
    const material = randomBytes(32);
    const store = make({ id: 'secret-holder', key: material });
    const text = inspect(store, { depth: 10, showHidden: true });
    expect(text).toContain('encrypted: true');
    expect(text).toContain('secret-holder');
    expect(text).not.toContain(material.toString('base64'));
    expect(text).not.toContain(material.toString('hex'));
    await store.set('k-ev', sampleToken(), 60_000);
    await make(keyAImpostor).get('k-ev');
    const serialized = JSON.stringify(events);
    expect(serialized).not.toContain(material.toString('base64'));
    expect(serialized).not.toContain('k-ev'); // events carry the key's hash, not the provider's key
  });
});
