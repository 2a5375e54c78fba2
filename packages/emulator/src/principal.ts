/** Who is calling the Management API, as established from a verified bearer token. */
export interface Principal {
  /** `rs256` for tokens the tenant signed; `hs256` for signed-secret tokens. */
  readonly kind: 'rs256' | 'hs256';
  readonly sub?: string;
  /** The M2M client (`azp`, or `sub` without `@clients`). */
  readonly clientId?: string;
  readonly scopes: ReadonlySet<string>;
  readonly jti?: string;
  readonly aud: readonly string[];
}
