/**
 * Scopebound errors → HTTP responses for the app's own clients. Bodies are built from facts we choose (codes,
 * operation and scope names); never from tokens, request headers or Auth0's error text.
 *
 * | error                                   | status | why                                                              |
 * |-----------------------------------------|--------|------------------------------------------------------------------|
 * | ScopeNotAllowedError                    | 403    | the route's allow-list forbids the call (app misconfiguration)   |
 * | InsufficientScopeError, user token      | 403    | the user's own token does not allow it (asUser calls)            |
 * | a grant missing on the application      | 502    | `upstream_insufficient_scope` naming the scopes and the fix       |
 * |  (InsufficientScopeError with a server token, InsufficientGrantError, NoCoveringCredentialError,          |
 * |   the token endpoint's 403 access_denied: see grant-refusal.ts)                                           |
 * | RateLimitError, TokenRateLimitError     | 503    | with Retry-After (seconds)                                       |
 * | ManagementApiError 404                  | 404    |                                                                  |
 * | TimeoutError                            | 504    |                                                                  |
 * | MissingUserTokenError                   | 401    | with WWW-Authenticate: Bearer                                    |
 * | any other upstream failure              | 502    | API errors, network, token endpoint, credentials                 |
 * | local programming errors                | 500    | invalid request/option, closed client                            |
 */
import { isScopeboundError, type ScopeboundError } from '@scopebound/token';
import { grantRefusal, grantRefusalMessage } from './grant-refusal';

/**
 * Is this ours: every error a Scopebound package throws is a `ScopeboundError` (token's predicate). Mapping
 * then goes by the stable `code` alone, so an error of another copy of a package (sharing token's root)
 * maps the same; fields are read defensively.
 */
export { isScopeboundError };

/**
 * Fields of the classes that own the codes below (ScopeNotAllowedError, InsufficientScopeError, RateLimitError,
 * TokenRateLimitError, ManagementApiError), read as unknown: a foreign copy may lack any of them.
 */
type Fields = {
  readonly [K in
    | 'operation'
    | 'allowed'
    | 'alternatives'
    | 'requiredScopes'
    | 'tokenScopes'
    | 'resetAt'
    | 'retryAfterMs'
    | 'status'
    | 'missing'
    | 'required'
    | 'requestedScopes'
    | 'error']?: unknown;
};

/** The JSON error body every adapter writes: `{ error: { code, message, scopes? } }`. */
export interface MappedErrorBody {
  readonly error: {
    /** Stable: `scope_not_allowed`, `insufficient_scope`, `upstream_insufficient_scope`, `rate_limited`, `not_found`, `gateway_timeout`, `unauthorized`, `bad_gateway`, `internal_error`. */
    readonly code: string;
    readonly message: string;
    /** `upstream_insufficient_scope`: the scopes the application must be granted (when the tenant said which). */
    readonly scopes?: readonly string[];
  };
}

export interface MappedError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: MappedErrorBody;
}

export interface MapErrorOptions {
  /** Epoch-ms clock for Retry-After (tests). Default Date.now. */
  clock?: () => number;
}

function reply(status: number, code: string, message: string, headers: Record<string, string> = {}): MappedError {
  return { status, headers, body: { error: { code, message } } };
}

function alternativesText(alternatives: unknown): string {
  if (!Array.isArray(alternatives) || alternatives.length === 0) return 'a scope';
  return alternatives.map((alt) => (Array.isArray(alt) ? alt.map(String).join(' + ') : String(alt))).join(' or ');
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : []);
const numberOr = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function retryAfterSeconds(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '1';
  return String(Math.min(3600, Math.max(1, Math.ceil(ms / 1000))));
}

const RATE_LIMITED = 'The identity provider is rate limiting this application; try again later.';
const BAD_GATEWAY = 'The identity provider could not complete the request.';

function scopeNotAllowed(e: Fields): MappedError {
  const op = typeof e.operation === 'string' ? e.operation : 'this operation';
  const allowed = Array.isArray(e.allowed) ? strings(e.allowed) : undefined;
  const need = alternativesText(e.alternatives);
  return reply(
    403,
    'scope_not_allowed',
    allowed
      ? `This route may not call ${op}: it needs ${need}, which the route's allow-list [${allowed.join(', ')}] does not include. Add it to the route's allowScopes(...) if the call is intended.`
      : `${op} needs ${need}, a current_user scope that only a user's token holds; call it through auth0.asUser().`,
  );
}

/**
 * A user's token (asUser) is sent without server scopes, so `tokenScopes` is empty; the operation then names a
 * current_user scope among its alternatives. That is the user's own limit: 403. (The application's grant
 * lacking a scope is a grant refusal, mapped before this.)
 */
function userInsufficientScope(e: Fields): MappedError {
  const required = strings(e.requiredScopes);
  return reply(403, 'insufficient_scope', `The access token of this request does not allow this action (it needs ${required.join(' or ')}).`);
}

/** The response for a Scopebound error, or undefined for any other error (let the app handle it). */
export function mapScopeboundError(err: unknown, options: MapErrorOptions = {}): MappedError | undefined {
  if (!isScopeboundError(err)) return undefined;
  const e = err as ScopeboundError & Fields;
  const refusal = grantRefusal(e.code, e);
  if (refusal) {
    return { status: 502, headers: {}, body: { error: { code: 'upstream_insufficient_scope', message: grantRefusalMessage(refusal), scopes: refusal.scopes } } };
  }
  switch (e.code) {
    case 'ERR_SCOPE_NOT_ALLOWED':
      return scopeNotAllowed(e);
    case 'ERR_INSUFFICIENT_SCOPE':
      return userInsufficientScope(e);
    case 'ERR_RATE_LIMITED': {
      const resetAt = numberOr(e.resetAt);
      const now = (options.clock ?? Date.now)();
      return reply(503, 'rate_limited', RATE_LIMITED, { 'retry-after': retryAfterSeconds(resetAt === undefined ? undefined : resetAt - now) });
    }
    case 'ERR_TOKEN_RATE_LIMITED':
      return reply(503, 'rate_limited', RATE_LIMITED, { 'retry-after': retryAfterSeconds(numberOr(e.retryAfterMs)) });
    case 'ERR_MANAGEMENT_API':
      return e.status === 404 ? reply(404, 'not_found', 'Not found.') : reply(502, 'bad_gateway', BAD_GATEWAY);
    case 'ERR_TIMEOUT':
    case 'ERR_TOKEN_TIMEOUT':
      return reply(504, 'gateway_timeout', 'The identity provider did not answer in time; try again later.');
    case 'ERR_MISSING_USER_TOKEN':
      return reply(401, 'unauthorized', 'This action needs your access token (Authorization: Bearer).', { 'www-authenticate': 'Bearer' });
    case 'ERR_NETWORK':
    case 'ERR_INVALID_RESPONSE':
    case 'ERR_RESPONSE_TOO_LARGE':
    case 'ERR_TOKEN_ENDPOINT':
    case 'ERR_TOKEN_NETWORK':
    case 'ERR_TOKEN_RESPONSE_INVALID':
    case 'ERR_CREDENTIAL':
      return reply(502, 'bad_gateway', BAD_GATEWAY);
    default:
      return reply(500, 'internal_error', 'The server could not complete the request.');
  }
}
