/**
 * `POST /oauth/token`: the client-credentials grant with client_secret_post, client_secret_basic and
 * private_key_jwt client authentication. Issues RS256 JWTs with Auth0's claim shapes.
 */
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import { oauthError, json } from './http';
import type { QuotaTracker } from './quota';
import { randomHex } from './rng';
import { activeCredentials } from './resources/clients';
import type { ClientRecord } from './state';
import { canonicalAudience, type Tenant } from './tenant';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const ASSERTION_ALGS = ['RS256', 'RS384', 'PS256'];
const MAX_ASSERTION_BYTES = 2048;
const MAX_ASSERTION_LIFETIME_S = 300;

export interface TokenOutcome {
  response: Response;
  clientId?: string;
  minted?: boolean;
}

async function readParams(request: Request): Promise<Record<string, string> | undefined> {
  const type = request.headers.get('content-type') ?? '';
  const text = await request.text();
  if (type.includes('application/json')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(parsed)) if (v !== undefined && v !== null) out[k] = typeof v === 'string' ? v : String(v);
      return out;
    } catch {
      return undefined;
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function basicCredentials(request: Request): { id: string; secret: string } | undefined {
  const header = request.headers.get('authorization');
  const m = header ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const idx = decoded.indexOf(':');
  if (idx < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, idx)), secret: decodeURIComponent(decoded.slice(idx + 1)) };
}

/** Audiences a private_key_jwt assertion may name. */
export function assertionAudiences(tenant: Tenant): string[] {
  const origins = [`https://${tenant.domain}`, ...tenant.listenOrigins];
  return origins.flatMap((o) => [`${o}/`, `${o}/oauth/token`]);
}

function timingSafeEqualString(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) return false;
  let diff = 0;
  for (let i = 0; i < ab.length; i++) diff |= ab[i]! ^ bb[i]!;
  return diff === 0;
}

type AuthOutcome = { client: ClientRecord; method: string } | { error: Response; clientId?: string };

const denied = () => oauthError(401, 'access_denied', 'Unauthorized');

async function verifyAssertion(tenant: Tenant, params: Record<string, string>): Promise<AuthOutcome> {
  const assertion = params.client_assertion!;
  const invalid = (description: string, clientId?: string): AuthOutcome => ({
    error: oauthError(401, 'invalid_client', description),
    ...(clientId ? { clientId } : {}),
  });
  if (params.client_assertion_type !== ASSERTION_TYPE) {
    return invalid(`client_assertion_type must be ${ASSERTION_TYPE}`);
  }
  if (Buffer.byteLength(assertion) > MAX_ASSERTION_BYTES) return invalid(`client_assertion must be at most ${MAX_ASSERTION_BYTES} bytes`);
  let alg: string | undefined;
  let kid: string | undefined;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    ({ alg, kid } = decodeProtectedHeader(assertion));
    claims = decodeJwt(assertion);
  } catch {
    return invalid('client_assertion is not a well-formed JWT');
  }
  if (!alg || !ASSERTION_ALGS.includes(alg)) return invalid(`client_assertion must be signed with one of ${ASSERTION_ALGS.join(', ')} (got ${String(alg)})`);
  const iss = typeof claims.iss === 'string' ? claims.iss : undefined;
  if (!iss || claims.sub !== iss) return invalid('client_assertion iss and sub must both be the client_id');
  if (params.client_id && params.client_id !== iss) return invalid('client_id does not match the client_assertion issuer', iss);
  const client = tenant.state.clients.get(iss);
  if (!client) return invalid('Unknown client in client_assertion', iss);
  const credentials = activeCredentials(tenant, client).filter((c) => !kid || !c.kid || c.kid === kid);
  if (credentials.length === 0) return invalid('The client has no public key registered for private_key_jwt (client_authentication_methods)', iss);
  const now = tenant.clock.now();
  let verified = false;
  let expired = false;
  for (const cred of credentials) {
    try {
      await jwtVerify(assertion, cred.key, { algorithms: ASSERTION_ALGS, currentDate: new Date(now), requiredClaims: ['exp', 'jti', 'aud'] });
      verified = true;
      break;
    } catch (error) {
      if (error instanceof errors.JWTExpired) expired = true;
    }
  }
  if (!verified) return invalid(expired ? 'client_assertion has expired' : 'client_assertion signature does not verify with the registered key', iss);
  const aud = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
  const allowed = assertionAudiences(tenant);
  if (!aud.some((a) => allowed.includes(a))) return invalid(`client_assertion aud must be one of ${allowed.join(', ')}`, iss);
  if (typeof claims.exp !== 'number' || claims.exp - now / 1000 > MAX_ASSERTION_LIFETIME_S) {
    return invalid(`client_assertion exp must be at most ${MAX_ASSERTION_LIFETIME_S} seconds in the future`, iss);
  }
  const jti = String(claims.jti);
  for (const [k, exp] of tenant.assertionJtis) if (exp < now) tenant.assertionJtis.delete(k);
  const replayKey = `${iss} ${jti}`;
  if (tenant.assertionJtis.has(replayKey)) return invalid('client_assertion jti has already been used', iss);
  tenant.assertionJtis.set(replayKey, claims.exp * 1000);
  return { client, method: 'private_key_jwt' };
}

async function authenticateClient(tenant: Tenant, request: Request, params: Record<string, string>): Promise<AuthOutcome> {
  if (params.client_assertion) return verifyAssertion(tenant, params);
  const basic = basicCredentials(request);
  const id = basic?.id ?? params.client_id;
  const secret = basic?.secret ?? params.client_secret;
  if (!id) return { error: oauthError(401, 'invalid_client', 'Client authentication is required: send client_id with client_secret, HTTP Basic, or a client_assertion') };
  const client = tenant.state.clients.get(id);
  if (!client) return { error: denied(), clientId: id };
  if (!secret) {
    return { error: oauthError(401, 'invalid_client', 'Client authentication is required: send client_secret, HTTP Basic, or a client_assertion'), clientId: id };
  }
  if (!client.client_secret || !timingSafeEqualString(client.client_secret, secret)) return { error: denied(), clientId: id };
  return { client, method: basic ? 'client_secret_basic' : 'client_secret_post' };
}

export async function handleTokenRequest(
  tenant: Tenant,
  request: Request,
  quota: QuotaTracker,
  meta: { ip?: string; userAgent?: string },
): Promise<TokenOutcome> {
  const fail = (response: Response, clientId: string | undefined, description: string): TokenOutcome => {
    tenant.writeLog({ type: 'feccft', description, ...(clientId ? { client_id: clientId } : {}), ip: meta.ip, user_agent: meta.userAgent });
    return { response, ...(clientId ? { clientId } : {}) };
  };
  if (request.method !== 'POST') return { response: oauthError(405, 'invalid_request', 'Use POST for /oauth/token') };
  const params = await readParams(request);
  if (!params) return fail(oauthError(400, 'invalid_request', 'The request body must be form-encoded or a JSON object'), undefined, 'Invalid request body');
  if (!params.grant_type) return fail(oauthError(400, 'invalid_request', 'Missing required parameter: grant_type'), params.client_id, 'Missing grant_type');
  if (params.grant_type !== 'client_credentials') {
    return fail(oauthError(403, 'unsupported_grant_type', `Unsupported grant type: ${params.grant_type}`), params.client_id, 'Unsupported grant type');
  }
  const auth = await authenticateClient(tenant, request, params);
  if ('error' in auth) return fail(auth.error, auth.clientId, 'Client authentication failed');
  const client = auth.client;
  const clientId = client.client_id;
  if (!client.grant_types.includes('client_credentials')) {
    return fail(oauthError(403, 'unauthorized_client', "Grant type 'client_credentials' not allowed for the client."), clientId, 'Grant type not allowed');
  }
  const requested = params.audience;
  if (!requested) {
    return fail(oauthError(403, 'access_denied', 'No audience parameter was provided, and no default audience has been configured'), clientId, 'No audience');
  }
  const audience = canonicalAudience(tenant, requested);
  const rs = [...tenant.state.resourceServers.values()].find((r) => r.identifier === audience);
  if (!rs) return fail(oauthError(403, 'access_denied', `Service not found: ${requested}`), clientId, 'Service not found');
  const grant = [...tenant.state.clientGrants.values()].find((g) => g.client_id === clientId && g.audience === audience);
  if (!grant) {
    return fail(
      oauthError(403, 'access_denied', `Client is not authorized to access "${requested}". You need to create a "client-grant" associated to this API.`),
      clientId,
      'No client grant',
    );
  }
  let scopes = [...grant.scope];
  if (tenant.narrowScopes && params.scope !== undefined) {
    const wanted = params.scope.split(' ').filter(Boolean);
    const missing = wanted.filter((s) => !scopes.includes(s));
    if (missing.length > 0) {
      return fail(oauthError(403, 'access_denied', `Client has not been granted scopes: ${missing.join(' ')}`), clientId, 'Scopes not granted');
    }
    scopes = scopes.filter((s) => wanted.includes(s));
  }
  const q = quota.check(client);
  const quotaHeaders: Record<string, string> = q.header ? { 'auth0-client-quota-limit': q.header } : {};
  if (!q.allowed) {
    return fail(
      oauthError(429, 'too_many_requests', `The client has exhausted its ${q.exhausted} token quota; retry after the window resets.`, {
        ...quotaHeaders,
        'retry-after': String(q.retryAfterSeconds ?? 1),
      }),
      clientId,
      'Token quota exhausted',
    );
  }
  const nowS = Math.floor(tenant.clock.now() / 1000);
  const ttl = typeof rs.token_lifetime === 'number' && !rs.is_system ? rs.token_lifetime : tenant.tokenTtl;
  const key = tenant.keys.current();
  const token = await new SignJWT({ scope: scopes.join(' '), gty: 'client-credentials', azp: clientId })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .setIssuer(tenant.issuer)
    .setSubject(`${clientId}@clients`)
    .setAudience(requested)
    .setIssuedAt(nowS)
    .setExpirationTime(nowS + ttl)
    .setJti(randomHex(32))
    .sign(key.privateKey);
  tenant.writeLog({
    type: 'seccft',
    description: 'Client Credentials for Access Token',
    client_id: clientId,
    client_name: client.name,
    ip: meta.ip,
    user_agent: meta.userAgent,
    details: { audience: requested, method: auth.method },
  });
  return {
    response: json(200, { access_token: token, scope: scopes.join(' '), expires_in: ttl, token_type: 'Bearer' }, { 'cache-control': 'no-store', pragma: 'no-cache', ...quotaHeaders }),
    clientId,
    minted: true,
  };
}
