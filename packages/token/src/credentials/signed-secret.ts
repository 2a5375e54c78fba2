/**
 * `signedSecret()`: the original Management API v2 path. The provider builds the token itself with exactly the
 * requested scopes and signs it (HS256) with the tenant's API secret. No request is made. Claim shapes:
 * - `claims: 'scope'` (default): `{aud: "https://{domain}/api/v2/", scope: "read:users …", iat, exp?, jti}`
 * - `claims: 'legacy-scopes'`: `{aud: <global client id>, scopes: {users: {actions: ["read"]}}, iat, exp?, jti}`
 * Rotating the secret (when `secret` is a function) invalidates every cached token signed with the old one.
 */
import { SignJWT } from 'jose';
import { CredentialError, InvalidOptionError } from '../errors';
import { base64ToBytes } from '../base64';
import { makeCredential, validateClientId, validateGrants, type Credential } from '../credential';

export type SecretValue = string | Uint8Array;

export interface SignedSecretOptions {
  /** The tenant's API secret, or a function returning the current one (called on every getToken; keep it cheap). */
  secret: SecretValue | (() => SecretValue | Promise<SecretValue>);
  /** How a string secret is turned into key bytes: 'utf8' (default), 'base64' or 'base64url' (Auth0's historic secrets). */
  encoding?: 'utf8' | 'base64' | 'base64url' | undefined;
  /** Modern `scope` string claim (default) or the legacy `scopes` object claim. */
  claims?: 'scope' | 'legacy-scopes' | undefined;
  /** Token lifetime in seconds (default 600). `null` omits `exp` (the token never expires; it is cached for 24 h). */
  ttl?: number | null | undefined;
  /** The global client id: required for `legacy-scopes` (it is the `aud`), otherwise only names the cache partition. */
  clientId?: string | undefined;
  /** The scopes this secret may sign (default: every scope). */
  grants?: readonly string[] | undefined;
}

const MAX_TTL = 30 * 24 * 3600;
/** How long a token without `exp` is kept in a cache. */
export const NO_EXPIRY_CACHE_MS = 24 * 3600 * 1000;

export function signedSecret(options: SignedSecretOptions): Credential {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('signedSecret', 'pass {secret, encoding, claims, ttl}');
  }
  const encoding = options.encoding ?? 'utf8';
  if (!['utf8', 'base64', 'base64url'].includes(encoding)) {
    throw new InvalidOptionError('encoding', "must be 'utf8', 'base64' or 'base64url'");
  }
  const claims = options.claims ?? 'scope';
  if (claims !== 'scope' && claims !== 'legacy-scopes') {
    throw new InvalidOptionError('claims', "must be 'scope' or 'legacy-scopes'");
  }
  const ttl = options.ttl === undefined ? 600 : options.ttl;
  if (ttl !== null && (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_TTL)) {
    throw new InvalidOptionError('ttl', `must be a whole number of seconds between 1 and ${MAX_TTL}, or null for no expiry`);
  }
  if (claims === 'legacy-scopes' && options.clientId === undefined) {
    throw new InvalidOptionError('clientId', "is required with claims: 'legacy-scopes' (it is the token's audience, the global client id)");
  }
  const clientId = options.clientId === undefined ? 'signed-secret' : validateClientId('clientId', options.clientId);
  const source = options.secret;
  if (source === undefined || source === null) {
    throw new InvalidOptionError('secret', "is missing; pass the tenant's API secret or a function returning it");
  }
  if (typeof source !== 'function') toKey(source, encoding, (msg) => new InvalidOptionError('secret', msg));
  const grants = validateGrants(options.grants);

  const currentKey = async (): Promise<Uint8Array> => {
    let value: SecretValue;
    try {
      value = typeof source === 'function' ? await source() : source;
    } catch {
      throw new CredentialError(clientId, 'The `secret` function of a signedSecret credential failed; fix it so it returns the current API secret.');
    }
    return toKey(value, encoding, (msg) => new CredentialError(clientId, `The \`secret\` function returned a secret that ${msg}.`));
  };

  const fingerprintOf = async (key: Uint8Array): Promise<string> => {
    const hmac = await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', hmac, new TextEncoder().encode('scopebound:secret-fingerprint:v1')));
    return Array.from(mac.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
  };

  return makeCredential(
    'signed-secret',
    clientId,
    grants,
    {
      type: 'self-signed',
      async fingerprint() {
        return fingerprintOf(await currentKey());
      },
      async sign(ctx) {
        const key = await currentKey();
        const iat = Math.floor(ctx.now / 1000);
        const payload: Record<string, unknown> =
          claims === 'scope' ? { scope: ctx.scopes.join(' ') } : { scopes: legacyScopes(ctx.scopes) };
        const jwt = new SignJWT(payload)
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setAudience(claims === 'scope' ? ctx.audience : clientId)
          .setIssuedAt(iat)
          .setJti(crypto.randomUUID());
        if (ttl !== null) jwt.setExpirationTime(iat + ttl);
        const accessToken = await jwt.sign(key);
        return {
          accessToken,
          expiresAt: ttl !== null ? iat * 1000 + ttl * 1000 : ctx.now + NO_EXPIRY_CACHE_MS,
          fingerprint: await fingerprintOf(key),
        };
      },
    },
    { claims },
  );
}

/** `["read:users", "update:users"]` → `{users: {actions: ["read", "update"]}}`. */
export function legacyScopes(scopes: readonly string[]): Record<string, { actions: string[] }> {
  const out = new Map<string, string[]>();
  for (const scope of scopes) {
    const colon = scope.indexOf(':');
    if (colon <= 0) continue;
    const action = scope.slice(0, colon);
    const resource = scope.slice(colon + 1);
    const actions = out.get(resource) ?? [];
    if (!actions.includes(action)) actions.push(action);
    out.set(resource, actions);
  }
  return Object.fromEntries(Array.from(out, ([resource, actions]) => [resource, { actions }]));
}

function toKey(value: unknown, encoding: 'utf8' | 'base64' | 'base64url', fail: (msg: string) => Error): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length === 0) throw fail('is empty');
    return value;
  }
  if (typeof value !== 'string') throw fail('must be a string or bytes');
  if (value.trim().length === 0) throw fail('is empty');
  if (encoding === 'utf8') return new TextEncoder().encode(value);
  const pattern = encoding === 'base64' ? /^[A-Za-z0-9+/]+={0,2}$/ : /^[A-Za-z0-9_-]+={0,2}$/;
  if (!pattern.test(value.trim())) throw fail(`is not valid ${encoding}`);
  const bytes = base64ToBytes(value.trim(), encoding);
  if (bytes.length === 0) throw fail('is empty');
  return bytes;
}
