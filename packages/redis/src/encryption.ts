/** The value codec: versioned JSON envelopes, AES-256-GCM bound to the Redis key when keys are set, key rotation by id. */
import { createCipheriv, createDecipheriv, KeyObject, randomBytes } from 'node:crypto';
import { RedisStoreOptionError } from './errors';

/** An AES-256 key with an id. The id is stored next to each value so keys can be rotated. */
export interface EncryptionKey {
  /** 1–64 characters from `A-Z a-z 0-9 . _ -`. Not secret: it is stored in clear in every value. */
  readonly id: string;
  /** 32 bytes: a Uint8Array/Buffer, a secret KeyObject, or a base64/base64url string of 32 bytes. */
  readonly key: Uint8Array | KeyObject | string;
}

/** Why a stored value was refused (the caller sees a miss; `onEvent` sees this). */
export type InvalidValueReason =
  | 'malformed'
  | 'unknown-key-id'
  | 'decryption-failed'
  | 'plaintext-rejected'
  | 'encrypted-without-key';

export type Decoded = { ok: true; value: unknown } | { ok: false; reason: InvalidValueReason; keyId?: string };

export interface Codec {
  readonly encrypted: boolean;
  readonly writeKeyId: string | undefined;
  encode(value: unknown, redisKey: string): string;
  decode(raw: string, redisKey: string): Decoded;
}

const VERSION = 1;
const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

interface NormalizedKey {
  readonly id: string;
  readonly key: KeyObject | Buffer;
}

function normalizeKeyMaterial(key: unknown, path: string): Buffer | KeyObject {
  if (key instanceof KeyObject) {
    if (key.type !== 'secret' || key.symmetricKeySize !== 32) {
      throw new RedisStoreOptionError(path, 'must be a 32-byte secret key (AES-256); got a KeyObject of another kind.');
    }
    return key;
  }
  if (key instanceof Uint8Array) {
    if (key.byteLength !== 32) {
      throw new RedisStoreOptionError(path, `must be 32 bytes (AES-256); got ${key.byteLength} bytes. Generate one with crypto.randomBytes(32).`);
    }
    return Buffer.from(key); // copy: later changes to the caller's buffer do not change the key
  }
  if (typeof key === 'string') {
    const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(key)
      ? Buffer.from(key, 'base64')
      : /^[A-Za-z0-9_-]+$/.test(key)
        ? Buffer.from(key, 'base64url')
        : undefined;
    if (!bytes || bytes.byteLength !== 32) {
      throw new RedisStoreOptionError(
        path,
        'must be 32 bytes given as base64 or base64url (44 or 43 characters); generate one with `openssl rand -base64 32`.',
      );
    }
    return bytes;
  }
  throw new RedisStoreOptionError(path, 'must be a Uint8Array, a secret KeyObject or a base64 string of 32 bytes.');
}

export function normalizeEncryptionKeys(input: unknown): NormalizedKey[] {
  if (input === undefined) return [];
  const list = Array.isArray(input) ? input : [input];
  const isArray = Array.isArray(input);
  if (list.length === 0) {
    throw new RedisStoreOptionError('encryptionKey', 'must not be an empty array; omit it to store tokens unencrypted.');
  }
  const seen = new Set<string>();
  return list.map((entry: unknown, index) => {
    const path = isArray ? `encryptionKey[${index}]` : 'encryptionKey';
    if (typeof entry !== 'object' || entry === null) {
      throw new RedisStoreOptionError(path, 'must be an object `{ id, key }`.');
    }
    const { id, key } = entry as { id?: unknown; key?: unknown };
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
      throw new RedisStoreOptionError(`${path}.id`, 'must be 1–64 characters from A-Z a-z 0-9 . _ - (it is stored in clear).');
    }
    if (seen.has(id)) {
      throw new RedisStoreOptionError(`${path}.id`, `repeats the key id "${id}"; every key needs its own id.`);
    }
    seen.add(id);
    return { id, key: normalizeKeyMaterial(key, `${path}.key`) };
  });
}

function aad(keyId: string, redisKey: string): Buffer {
  // Binds the ciphertext to its Redis key: a value copied to another key does not decrypt.
  return Buffer.from(`scopebound-redis:v${VERSION}:${keyId}:${redisKey}`, 'utf8');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function createCodec(keys: readonly NormalizedKey[]): Codec {
  const byId = new Map(keys.map((k) => [k.id, k.key] as const));
  const writer = keys[0];

  return {
    encrypted: writer !== undefined,
    writeKeyId: writer?.id,
    encode(value, redisKey) {
      const json = JSON.stringify(value);
      if (!writer) return `{"v":${VERSION},"t":${json}}`;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', writer.key, iv);
      cipher.setAAD(aad(writer.id, redisKey));
      const ct = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
      return JSON.stringify({
        v: VERSION,
        alg: 'A256GCM',
        kid: writer.id,
        iv: iv.toString('base64url'),
        ct: ct.toString('base64url'),
        tag: cipher.getAuthTag().toString('base64url'),
      });
    },
    decode(raw, redisKey) {
      let envelope: unknown;
      try {
        envelope = JSON.parse(raw);
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      if (!isRecord(envelope) || envelope.v !== VERSION) return { ok: false, reason: 'malformed' };
      if ('t' in envelope) {
        // A plaintext value where encryption is on may have been planted by someone with write access.
        if (writer) return { ok: false, reason: 'plaintext-rejected' };
        return isRecord(envelope.t) ? { ok: true, value: envelope.t } : { ok: false, reason: 'malformed' };
      }
      const { kid, iv, ct, tag, alg } = envelope;
      if (alg !== 'A256GCM' || typeof kid !== 'string' || typeof iv !== 'string' || typeof ct !== 'string' || typeof tag !== 'string') {
        return { ok: false, reason: 'malformed' };
      }
      if (!writer) return { ok: false, reason: 'encrypted-without-key', keyId: kid };
      const key = byId.get(kid);
      if (!key) return { ok: false, reason: 'unknown-key-id', keyId: kid };
      try {
        const ivBytes = Buffer.from(iv, 'base64url');
        const tagBytes = Buffer.from(tag, 'base64url');
        if (ivBytes.byteLength !== 12 || tagBytes.byteLength !== 16) return { ok: false, reason: 'malformed', keyId: kid };
        const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: 16 });
        decipher.setAAD(aad(kid, redisKey));
        decipher.setAuthTag(tagBytes);
        const json = Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
        const value: unknown = JSON.parse(json);
        return isRecord(value) ? { ok: true, value } : { ok: false, reason: 'malformed', keyId: kid };
      } catch {
        return { ok: false, reason: 'decryption-failed', keyId: kid };
      }
    },
  };
}
