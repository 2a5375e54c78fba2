/**
 * `privateKeyJwt()`: the client-credentials grant authenticated with a client assertion (RFC 7523) signed by
 * the application's private key: `iss` = `sub` = client id, `aud` = the token endpoint's origin (`https://{domain}/`), a fresh `jti`,
 * a short `exp` (Auth0 allows at most 5 minutes).
 */
import { SignJWT } from 'jose';
import { CredentialError, InvalidOptionError } from '../errors';
import { makeCredential, validateClientId, validateGrants, type Credential } from '../credential';
import { DerError, readPemPrivateKey } from './pem-key';

/** Node's `KeyObject`, structurally (no Node type or module is imported, so this runs on any runtime). */
export interface KeyObjectLike {
  readonly type: string;
  readonly asymmetricKeyType?: string | undefined;
  readonly asymmetricKeyDetails?: { readonly modulusLength?: number | undefined } | undefined;
  export(options?: unknown): unknown;
}

/**
 * A Web Crypto `CryptoKey`, structurally: the declarations name no global that a project without the DOM library
 * or a recent `@types/node` lacks (a real `CryptoKey` is one; at run time it is checked with `instanceof`).
 */
export interface CryptoKeyLike {
  readonly type: string;
  readonly extractable: boolean;
  readonly algorithm: { readonly name: string };
  readonly usages: readonly string[];
}

/** What `SignJWT.sign` takes: a CryptoKey, a KeyObject, or (for PEM input) a CryptoKey imported on first use. */
type SigningKey = KeyObjectLike | CryptoKey | (() => Promise<CryptoKey>);

const WEBCRYPTO: Record<PrivateKeyJwtAlg, RsaHashedImportParams> = {
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  RS384: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
  PS256: { name: 'RSA-PSS', hash: 'SHA-256' },
};

export type PrivateKeyJwtAlg = 'RS256' | 'RS384' | 'PS256';

export interface PrivateKeyJwtOptions {
  clientId: string;
  /** A PEM private key (PKCS#8 or PKCS#1), a KeyObject or a CryptoKey. */
  privateKey: string | KeyObjectLike | CryptoKeyLike;
  /** RS256 (default), RS384 or PS256. */
  alg?: PrivateKeyJwtAlg | undefined;
  /** Optional `kid` header, when the application has several registered keys. */
  keyId?: string | undefined;
  /** Lifetime of each assertion in seconds (default 60, at most 300). */
  assertionTtl?: number | undefined;
  grants?: readonly string[] | undefined;
}

const ALGS: readonly PrivateKeyJwtAlg[] = ['RS256', 'RS384', 'PS256'];

export function privateKeyJwt(options: PrivateKeyJwtOptions): Credential {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('privateKeyJwt', 'pass {clientId, privateKey, alg}');
  }
  const clientId = validateClientId('clientId', options.clientId);
  const alg = options.alg ?? 'RS256';
  if (!ALGS.includes(alg)) throw new InvalidOptionError('alg', `must be one of ${ALGS.join(', ')}`);
  const ttl = options.assertionTtl ?? 60;
  if (!Number.isInteger(ttl) || ttl < 5 || ttl > 300) {
    throw new InvalidOptionError('assertionTtl', 'must be a whole number of seconds between 5 and 300');
  }
  if (options.keyId !== undefined && (typeof options.keyId !== 'string' || options.keyId.length === 0)) {
    throw new InvalidOptionError('keyId', 'must be a non-empty string');
  }
  const key = importKey(options.privateKey, alg);
  const grants = validateGrants(options.grants);
  const keyId = options.keyId;
  return makeCredential(
    'private-key-jwt',
    clientId,
    grants,
    {
      type: 'http',
      async authenticate(ctx) {
        const iat = Math.floor(ctx.now / 1000);
        let assertion: string;
        try {
          assertion = await new SignJWT({})
            .setProtectedHeader(keyId ? { alg, typ: 'JWT', kid: keyId } : { alg, typ: 'JWT' })
            .setIssuer(clientId)
            .setSubject(clientId)
            .setAudience(`${new URL(ctx.tokenUrl).origin}/`)
            .setIssuedAt(iat)
            .setExpirationTime(iat + ttl)
            .setJti(crypto.randomUUID())
            .sign((typeof key === 'function' ? await key() : key) as CryptoKey);
        } catch (error) {
          throw new CredentialError(
            clientId,
            `Could not sign the client assertion for ${clientId} with ${alg} (${(error as Error).name}). Check that privateKey is an RSA private key usable with ${alg}.`,
          );
        }
        return {
          body: {
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: assertion,
          },
          headers: {},
          secrets: [assertion],
        };
      },
    },
    { alg },
  );
}

function importKey(value: unknown, alg: PrivateKeyJwtAlg): SigningKey {
  if (value === undefined || value === null || value === '') {
    throw new InvalidOptionError('privateKey', 'is missing; pass a PEM private key, a KeyObject or a CryptoKey');
  }
  if (typeof value === 'string') {
    if (!/-----BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----/.test(value)) {
      throw new InvalidOptionError(
        'privateKey',
        'is not a PEM private key (expected "-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----")',
      );
    }
    if (value.includes('ENCRYPTED PRIVATE KEY')) {
      throw new InvalidOptionError('privateKey', 'is an encrypted PEM key; an encrypted key must be decrypted first');
    }
    let info: ReturnType<typeof readPemPrivateKey>;
    try {
      info = readPemPrivateKey(value);
    } catch (error) {
      if (!(error instanceof DerError) && !(error instanceof DOMException)) throw error;
      throw new InvalidOptionError('privateKey', 'could not be read as a PEM private key; an encrypted key must be decrypted first');
    }
    checkRsa(info.type, info.modulusBits, alg);
    let imported: Promise<CryptoKey> | undefined;
    return () => (imported ??= crypto.subtle.importKey('pkcs8', info.pkcs8 as Uint8Array<ArrayBuffer>, WEBCRYPTO[alg], false, ['sign']));
  }
  if (isCryptoKey(value)) {
    if (value.type !== 'private') throw new InvalidOptionError('privateKey', 'must be a private key, not a public one');
    return value;
  }
  if (isKeyObject(value)) {
    if (value.type !== 'private') throw new InvalidOptionError('privateKey', 'must be a private key, not a public one');
    checkRsa(value.asymmetricKeyType, value.asymmetricKeyDetails?.modulusLength, alg);
    return value;
  }
  throw new InvalidOptionError('privateKey', 'must be a PEM string, a KeyObject or a CryptoKey');
}

function checkRsa(type: string | undefined, bits: number | undefined, alg: PrivateKeyJwtAlg): void {
  if (type !== 'rsa' && !(type === 'rsa-pss' && alg === 'PS256')) {
    throw new InvalidOptionError('privateKey', `must be an RSA key for ${alg} (got ${type === 'other' ? 'another key type' : (type ?? 'unknown')})`);
  }
  if (bits !== undefined && bits < 2048) {
    throw new InvalidOptionError('privateKey', `must be at least 2048 bits (got ${bits})`);
  }
}

function isKeyObject(value: unknown): value is KeyObjectLike {
  const v = value as Partial<KeyObjectLike> | null;
  return typeof v === 'object' && v !== null && typeof v.type === 'string' && typeof v.export === 'function';
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
}
