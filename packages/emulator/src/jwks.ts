/** The tenant's RS256 signing keys: one current key, retired keys kept (and published) for a grace period. */
import { generateKeyPair as generateKeyPairCb, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { Clock } from './clock';

const generateKeyPair = promisify(generateKeyPairCb);

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicJwk: JWK;
  readonly createdAt: number;
  retiredAt?: number;
}

export interface KeyRing {
  current(): SigningKey;
  /** A key that may still verify tokens (current, or retired within the grace period). */
  find(kid: string | undefined): SigningKey | undefined;
  rotate(): Promise<SigningKey>;
  jwks(): { keys: JWK[] };
  setGrace(ms: number): void;
  grace(): number;
}

export async function generateRsaKeyPair(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return generateKeyPair('rsa', { modulusLength: 2048 });
}

async function makeKey(now: number): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateRsaKeyPair();
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  return {
    kid,
    privateKey,
    publicKey,
    publicJwk: { kty: jwk.kty, n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' },
    createdAt: now,
  };
}

export async function createKeyRing(clock: Clock, graceMs: number): Promise<KeyRing> {
  let grace = graceMs;
  const keys: SigningKey[] = [await makeKey(clock.now())];
  const live = (k: SigningKey) => k.retiredAt === undefined || clock.now() < k.retiredAt + grace;
  return {
    current: () => keys[keys.length - 1]!,
    find(kid) {
      if (!kid) return undefined;
      const key = keys.find((k) => k.kid === kid);
      return key && live(key) ? key : undefined;
    },
    async rotate() {
      const next = await makeKey(clock.now());
      const prev = keys[keys.length - 1]!;
      prev.retiredAt = clock.now();
      keys.push(next);
      // Forget keys that can no longer verify anything.
      for (let i = keys.length - 1; i >= 0; i--) if (!live(keys[i]!)) keys.splice(i, 1);
      return next;
    },
    jwks: () => ({ keys: [...keys].reverse().filter(live).map((k) => ({ ...k.publicJwk })) }),
    setGrace(ms) {
      grace = ms;
    },
    grace: () => grace,
  };
}
