/**
 * What every credential kind shares. A credential keeps its secret in a closure: the object itself holds
 * only the kind, the client id and the known grants, so printing or serialising it reveals nothing.
 */
import { InvalidOptionError } from './errors';
import { normalizeScopes } from './scopes';

export type CredentialKind = 'client-secret' | 'private-key-jwt' | 'signed-secret';

/** A credential for the Management API; a list of them is a pool. Built by the credential factories. */
export interface Credential {
  readonly kind: CredentialKind;
  /** The M2M application's client id (for signed-secret credentials without one: `"signed-secret"`). */
  readonly clientId: string;
  /** The scopes the application is granted, when given; otherwise learned from its first token. */
  readonly grants: readonly string[] | undefined;
}

export interface CredentialContext {
  /** Tenant domain (audience host). */
  readonly domain: string;
  /** `https://{domain}/api/v2/` unless overridden. */
  readonly audience: string;
  /** Where the token request goes. */
  readonly tokenUrl: string;
  /** The scopes being requested (sorted). */
  readonly scopes: readonly string[];
  /** Epoch milliseconds. */
  readonly now: number;
}

/** A credential that authenticates a client-credentials request to `/oauth/token`. */
export interface HttpCredentialInternal {
  readonly type: 'http';
  authenticate(ctx: CredentialContext): Promise<{
    /** Extra form fields (client_secret or client_assertion…). */
    body: Record<string, string>;
    headers: Record<string, string>;
    /** Strings to redact from anything the server echoes back. */
    secrets: string[];
  }>;
}

/** A credential that signs its own tokens (no network). */
export interface SelfSignedCredentialInternal {
  readonly type: 'self-signed';
  /** A short, one-way fingerprint of the current secret; changes when the secret rotates. */
  fingerprint(): Promise<string>;
  sign(ctx: CredentialContext): Promise<{ accessToken: string; expiresAt: number; fingerprint: string }>;
}

export type CredentialInternal = HttpCredentialInternal | SelfSignedCredentialInternal;

/** Where the provider finds a credential's implementation (a non-enumerable symbol property). */
export const INTERNAL: unique symbol = Symbol('scopebound.credential');

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

export interface InternalCredential extends Credential {
  readonly [INTERNAL]: CredentialInternal;
}

export function makeCredential(
  kind: CredentialKind,
  clientId: string,
  grants: readonly string[] | undefined,
  internal: CredentialInternal,
  extra: Record<string, string> = {},
): Credential {
  const pub = { kind, clientId, grants: grants ? Object.freeze(normalizeScopes(grants)) : undefined, ...extra };
  const cred = { ...pub };
  Object.defineProperty(cred, INTERNAL, { value: internal, enumerable: false });
  Object.defineProperty(cred, 'toJSON', { value: () => ({ ...pub }), enumerable: false });
  Object.defineProperty(cred, inspectSymbol, {
    value: () => `Credential ${JSON.stringify(pub)}`,
    enumerable: false,
  });
  return Object.freeze(cred) as Credential;
}

export function internalOf(cred: Credential): CredentialInternal {
  const internal = (cred as Partial<InternalCredential>)[INTERNAL];
  if (!internal) {
    throw new InvalidOptionError(
      'credentials',
      'each credential must come from clientSecret(), privateKeyJwt() or signedSecret()',
    );
  }
  return internal;
}

export function requireString(option: string, value: unknown, what: string): string {
  if (value === undefined || value === null) throw new InvalidOptionError(option, `is missing; pass ${what}`);
  if (typeof value !== 'string') throw new InvalidOptionError(option, `must be a string (${what})`);
  if (value.trim().length === 0) throw new InvalidOptionError(option, `is empty; pass ${what}`);
  return value;
}

export function validateClientId(option: string, value: unknown): string {
  const id = requireString(option, value, "the application's client id");
  if (/\s/.test(id) || id.length > 256) {
    throw new InvalidOptionError(option, 'must be a client id without whitespace (at most 256 characters)');
  }
  return id;
}

export function validateGrants(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string' || s.length === 0 || /\s/.test(s))) {
    throw new InvalidOptionError('grants', 'must be an array of scope names, e.g. ["read:users"]');
  }
  return normalizeScopes(value as string[]);
}

/** One credential or a pool, as a list: each made by a credential factory, no client listed twice. */
export function validateCredentials(value: unknown): Credential[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (list.length === 0) {
    throw new InvalidOptionError('credentials', 'is missing; pass clientSecret({...}), privateKeyJwt({...}), signedSecret({...}) or a list of them');
  }
  const ids = new Set<string>();
  for (const cred of list) {
    internalOf(cred as Credential);
    const id = (cred as Credential).clientId;
    if (ids.has(id)) throw new InvalidOptionError('credentials', `lists client ${id} twice; give each application once`);
    ids.add(id);
  }
  return list as Credential[];
}
