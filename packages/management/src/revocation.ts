/**
 * `revokeToken`: blacklist a token by its `jti` (legacy endpoint, scope `blacklist:tokens`) and drop it from
 * the token source. The JWT payload is read with token's `decodeJwtPayload` (not verified: Auth0 checks it).
 */
import type { AccessToken } from '@scopebound/token';
import { decodeJwtPayload } from '@scopebound/token/http';
import { InvalidRequestError } from './errors';
import { execute } from './execute';
import { planCall } from './planner';
import type { View } from './shared';

export interface RevokedToken {
  readonly jti: string;
  readonly aud: string | undefined;
}

function audienceOf(aud: unknown): string | undefined {
  if (typeof aud === 'string') return aud;
  return Array.isArray(aud) && typeof aud[0] === 'string' ? aud[0] : undefined;
}

export async function revokeToken(view: View, token: string | AccessToken): Promise<RevokedToken> {
  const value = typeof token === 'string' ? token : token?.value;
  if (typeof value !== 'string' || value === '') throw new InvalidRequestError('revokeToken needs an access token (string or AccessToken).');
  if (value.split('.').length !== 3) throw new InvalidRequestError('revokeToken needs a JWT access token (three dot-separated parts).');
  const payload = decodeJwtPayload(value);
  if (!payload) throw new InvalidRequestError('revokeToken could not decode the token payload; pass the access token exactly as issued.');
  const jti = payload.jti;
  if (typeof jti !== 'string' || jti === '') {
    throw new InvalidRequestError('The token has no `jti` claim, so Auth0 cannot blacklist it; let it expire or rotate the credential instead.');
  }
  const aud = audienceOf(payload.aud);
  const { shared } = view;
  await execute(shared.core, planCall(view, shared.compiled(shared.table.revocation), undefined, aud === undefined ? { jti } : { aud, jti }), {}, false);
  if (!view.state.userToken) await shared.core.tokens.invalidate(token);
  return { jti, aud };
}
