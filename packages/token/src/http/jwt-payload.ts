/** Reading a JWT's claims without verifying it (to learn what was granted, or a `jti` to revoke): one place, via jose. */
import { decodeJwt } from 'jose';

/** The payload of a compact JWS, or undefined when `token` is not one. */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  try {
    return decodeJwt(token) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The `scope` claim of a JWT (space-separated), or undefined. */
export function jwtScopeClaim(token: string): string | undefined {
  const scope = decodeJwtPayload(token)?.scope;
  return typeof scope === 'string' ? scope : undefined;
}
