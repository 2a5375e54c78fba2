/**
 * Bearer token verification for /api/v2: RS256 tokens signed by a current (or still-in-grace) tenant key,
 * and HS256 signed-secret tokens under the tenant API secret (modern `scope` or legacy `scopes` claims,
 * secret used as is or base64url-decoded). Any other algorithm, a bad signature, an expired token, a wrong
 * audience or issuer, or a blacklisted jti answers Auth0's 401 body.
 */
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { apiError } from './http';
import type { Principal } from './principal';
import { isManagementAudience, managementAudiences, type Tenant } from './tenant';

export type AuthResult = { ok: true; principal: Principal } | { ok: false; response: Response };

function unauthorized(message: string, errorCode = 'invalid_token'): AuthResult {
  const response = apiError(401, message, errorCode, { 'www-authenticate': `Bearer error="invalid_token"` });
  return { ok: false, response };
}

const INVALID = 'Invalid token';
const EXPIRED = 'Expired token received for JSON Web Token validation';
const BAD_SIGNATURE = 'Invalid signature received for JSON Web Token validation';

function audiences(payload: JWTPayload): string[] {
  if (typeof payload.aud === 'string') return [payload.aud];
  return Array.isArray(payload.aud) ? payload.aud.filter((a): a is string => typeof a === 'string') : [];
}

/** Legacy `scopes: {users: {actions: ['read']}}` → `read:users`. */
export function legacyScopes(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const out: string[] = [];
  for (const [resource, spec] of Object.entries(value as Record<string, unknown>)) {
    const actions = (spec as { actions?: unknown })?.actions;
    if (Array.isArray(actions)) for (const a of actions) if (typeof a === 'string') out.push(`${a}:${resource}`);
  }
  return out;
}

function mapJoseError(error: unknown, payloadAud?: string[]): AuthResult {
  if (error instanceof errors.JWTExpired) return unauthorized(EXPIRED);
  if (error instanceof errors.JWSSignatureVerificationFailed) return unauthorized(BAD_SIGNATURE);
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return unauthorized(`Bad audience: ${(payloadAud ?? []).join(' ')}`);
    if (error.claim === 'iss') return unauthorized('Bad issuer');
  }
  return unauthorized(INVALID);
}

function secretCandidates(secret: string): Uint8Array[] {
  const list = [new TextEncoder().encode(secret)];
  if (/^[A-Za-z0-9_-]+={0,2}$/.test(secret) || /^[A-Za-z0-9+/]+={0,2}$/.test(secret)) {
    const decoded = Buffer.from(secret.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url');
    if (decoded.length >= 16) list.push(new Uint8Array(decoded));
  }
  return list;
}

function principalFrom(kind: Principal['kind'], payload: JWTPayload, scopes: string[]): Principal {
  const sub = typeof payload.sub === 'string' ? payload.sub : undefined;
  const azp = typeof payload.azp === 'string' ? payload.azp : undefined;
  const clientId = azp ?? (sub?.endsWith('@clients') ? sub.slice(0, -'@clients'.length) : undefined);
  return {
    kind,
    ...(sub ? { sub } : {}),
    ...(clientId ? { clientId } : {}),
    scopes: new Set(scopes),
    ...(typeof payload.jti === 'string' ? { jti: payload.jti } : {}),
    aud: audiences(payload),
  };
}

function revoked(tenant: Tenant, principal: Principal): boolean {
  if (!principal.jti) return false;
  return tenant.state.blacklist.some((e) => e.jti === principal.jti && (!e.aud || principal.aud.includes(e.aud)));
}

export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get('authorization');
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : '';
}

const CACHE_LIMIT = 10_000;

/** A previously verified token, if every condition that made it valid still holds. */
function fromCache(tenant: Tenant, token: string): Principal | undefined {
  const hit = tenant.verifiedTokens.get(token);
  if (!hit) return undefined;
  const stillValid =
    (hit.exp === undefined || tenant.clock.now() / 1000 < hit.exp) &&
    (hit.kid === undefined || tenant.keys.find(hit.kid) !== undefined) &&
    (hit.secret === undefined || hit.secret === tenant.apiSecret) &&
    (hit.principal.kind === 'hs256' || hit.principal.aud.some((a) => isManagementAudience(tenant, a)));
  if (!stillValid) {
    tenant.verifiedTokens.delete(token);
    return undefined;
  }
  return hit.principal;
}

function remember(tenant: Tenant, token: string, principal: Principal, exp: unknown, kid: string | undefined): void {
  if (tenant.verifiedTokens.size >= CACHE_LIMIT) tenant.verifiedTokens.clear();
  tenant.verifiedTokens.set(token, {
    principal,
    ...(typeof exp === 'number' ? { exp } : {}),
    ...(principal.kind === 'rs256' ? { kid } : { secret: tenant.apiSecret }),
  });
}

export async function authenticate(tenant: Tenant, request: Request): Promise<AuthResult> {
  const token = bearerToken(request);
  if (token === undefined) return unauthorized('Missing authentication', 'missing_authentication');
  if (token === '') return unauthorized('Bad HTTP authentication header format');
  const cached = fromCache(tenant, token);
  if (cached) {
    if (revoked(tenant, cached)) return unauthorized('Token has been revoked (its jti is blacklisted)');
    return { ok: true, principal: cached };
  }
  let alg: string | undefined;
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(token);
    alg = header.alg;
    kid = header.kid;
  } catch {
    return unauthorized(INVALID);
  }
  const currentDate = new Date(tenant.clock.now());
  const accepted = managementAudiences(tenant);
  let result: AuthResult;
  if (alg === 'RS256') {
    const key = tenant.keys.find(kid);
    if (!key) return unauthorized(BAD_SIGNATURE);
    try {
      const { payload } = await jwtVerify(token, key.publicKey, {
        algorithms: ['RS256'],
        issuer: tenant.issuer,
        audience: accepted,
        currentDate,
        requiredClaims: ['exp'],
      });
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
      result = { ok: true, principal: principalFrom('rs256', payload, scopes) };
      remember(tenant, token, result.principal, payload.exp, kid);
    } catch (error) {
      let aud: string[] | undefined;
      try {
        aud = audiences(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as JWTPayload);
      } catch {
        aud = undefined;
      }
      return mapJoseError(error, aud);
    }
  } else if (alg === 'HS256') {
    let lastError: unknown;
    let payload: JWTPayload | undefined;
    for (const secret of secretCandidates(tenant.apiSecret)) {
      try {
        payload = (await jwtVerify(token, secret, { algorithms: ['HS256'], currentDate })).payload;
        break;
      } catch (error) {
        lastError = error;
        if (error instanceof errors.JWTExpired) break;
      }
    }
    if (!payload) return mapJoseError(lastError);
    const aud = audiences(payload);
    if (!aud.some((a) => accepted.includes(a) || a === tenant.globalClientId)) return unauthorized(`Bad audience: ${aud.join(' ')}`);
    const scopes =
      typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : legacyScopes((payload as { scopes?: unknown }).scopes);
    result = { ok: true, principal: principalFrom('hs256', payload, scopes) };
    remember(tenant, token, result.principal, payload.exp, undefined);
  } else {
    return unauthorized(INVALID);
  }
  if (revoked(tenant, result.principal)) return unauthorized('Token has been revoked (its jti is blacklisted)');
  return result;
}
