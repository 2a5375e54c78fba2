/**
 * One error class per failure, each with a stable `code`. Nobody should branch on a message text.
 * No error ever holds a bearer token: requests are never attached, only the route template and method.
 */
import { InvalidOptionError, ScopeboundError } from '@scopebound/token';

export type ManagementErrorCode =
  | 'ERR_MANAGEMENT_API'
  | 'ERR_INSUFFICIENT_SCOPE'
  | 'ERR_RATE_LIMITED'
  | 'ERR_SCOPE_NOT_ALLOWED'
  | 'ERR_SCOPES_MISMATCH'
  | 'ERR_TIMEOUT'
  | 'ERR_NETWORK'
  | 'ERR_RESPONSE_TOO_LARGE'
  | 'ERR_INVALID_RESPONSE'
  | 'ERR_INVALID_OPTION'
  | 'ERR_INVALID_REQUEST'
  | 'ERR_RESULT_WINDOW'
  | 'ERR_CLIENT_CLOSED';

/** Base class of every error this package throws (a `ScopeboundError`). */
export class ManagementError extends ScopeboundError {
  static override readonly code: string = 'ERR_MANAGEMENT';
  declare readonly code: ManagementErrorCode;

  constructor(code: ManagementErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Where a failed call went. `route` is the template (`/api/v2/users/{id}`), never the filled path. */
export interface RequestInfo {
  readonly method: string;
  readonly route: string;
  readonly operation?: string | undefined;
}

export interface ApiErrorDetails extends RequestInfo {
  readonly status: number;
  readonly errorCode?: string | undefined;
  readonly error?: string | undefined;
  readonly serverMessage?: string | undefined;
  readonly requestId?: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

function describe(d: ApiErrorDetails): string {
  const what = d.operation ? `${d.operation} (${d.method} ${d.route})` : `${d.method} ${d.route}`;
  const tag = d.errorCode ?? d.error;
  const server = d.serverMessage ? `: ${d.serverMessage}` : '';
  const rid = d.requestId ? ` [request id ${d.requestId}]` : '';
  return `${what} failed with ${d.status}${tag ? ` ${tag}` : ''}${server}${rid}`;
}

/** The Management API answered with an error status. */
export class ManagementApiError extends ManagementError {
  static override readonly code: string = 'ERR_MANAGEMENT_API';
  readonly status: number;
  /** Auth0's `errorCode` (e.g. `inexistent_user`), when it sent one. */
  readonly errorCode: string | undefined;
  /** Auth0's `error` (e.g. `Not Found`). */
  readonly error: string | undefined;
  /** Auth0's `message`, verbatim. */
  readonly serverMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly method: string;
  readonly route: string;
  readonly operation: string | undefined;
  /** Response headers (never request headers, so never the token). Not enumerable. */
  declare readonly headers: Readonly<Record<string, string>>;

  constructor(details: ApiErrorDetails, message?: string, code: ManagementErrorCode = 'ERR_MANAGEMENT_API') {
    super(code, message ?? `${describe(details)}. ${hintFor(details.status)}`);
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.error = details.error;
    this.serverMessage = details.serverMessage;
    this.requestId = details.requestId;
    this.method = details.method;
    this.route = details.route;
    this.operation = details.operation;
    Object.defineProperty(this, 'headers', { value: details.headers, enumerable: false });
  }
}

function hintFor(status: number): string {
  if (status === 400) return 'Check the parameters and body against the operation.';
  if (status === 401) return 'The token was rejected twice; check the credentials and the audience.';
  if (status === 403) return 'The token lacks a permission the call needs; check the grants of the application.';
  if (status === 404) return 'The resource does not exist (or the route is wrong).';
  if (status === 409) return 'The resource already exists or conflicts with another.';
  if (status >= 500) return 'Auth0 had a problem; try again later.';
  return 'See the status and errorCode.';
}

/** 403 insufficient_scope: the server wanted scopes the token did not have. */
export class InsufficientScopeError extends ManagementApiError {
  static override readonly code: string = 'ERR_INSUFFICIENT_SCOPE';
  /** The scopes the server said it wanted. */
  readonly requiredScopes: readonly string[];
  /** 'any': one of `requiredScopes` would do; 'all': every one is needed. */
  readonly requiredRule: 'any' | 'all';
  /** The scopes of the token that was sent. */
  readonly tokenScopes: readonly string[];

  constructor(details: ApiErrorDetails, required: readonly string[], rule: 'any' | 'all', tokenScopes: readonly string[]) {
    super(
      details,
      `${describe(details)}. The server wanted ${rule} of [${required.join(', ')}] but the token had ` +
        `[${tokenScopes.join(', ')}]. Grant the missing scope to the application (or check the token cache).`,
      'ERR_INSUFFICIENT_SCOPE',
    );
    this.requiredScopes = required;
    this.requiredRule = rule;
    this.tokenScopes = tokenScopes;
  }
}

/**
 * 429 and the call may not wait any longer: a single wait above `retry.maxRetryAfterMs`, or a total above
 * `retry.maxRateLimitWaitMs` (also when the client-side pacer held the call that long: then `status` is 429
 * and `headers` is empty, as nothing was sent for that attempt).
 */
export class RateLimitError extends ManagementApiError {
  static override readonly code: string = 'ERR_RATE_LIMITED';
  /** When the limit resets (epoch ms), from Retry-After or x-ratelimit-reset. */
  readonly resetAt: number | undefined;
  readonly limit: number | undefined;
  readonly remaining: number | undefined;

  constructor(details: ApiErrorDetails, resetAt: number | undefined, limit: number | undefined, remaining: number | undefined, message?: string) {
    super(
      details,
      message ??
        `${describe(details)}. Rate limited${resetAt !== undefined ? ` until ${new Date(resetAt).toISOString()}` : ''}; ` +
          'slow down, or raise `retry.maxRateLimitWaitMs` / `retry.maxRetryAfterMs`.',
      'ERR_RATE_LIMITED',
    );
    this.resetAt = resetAt;
    this.limit = limit;
    this.remaining = remaining;
  }
}

/** The call needs scopes outside the client's (or view's) allow-list. Thrown before any network traffic. */
export class ScopeNotAllowedError extends ManagementError {
  static override readonly code: string = 'ERR_SCOPE_NOT_ALLOWED';
  readonly operation: string;
  /** Every alternative that would authorise the call. */
  readonly alternatives: readonly (readonly string[])[];
  /** The allow-list in force (undefined: no allow-list, the alternatives were all current_user scopes). */
  readonly allowed: readonly string[] | undefined;

  constructor(operation: string, alternatives: readonly (readonly string[])[], allowed: readonly string[] | undefined, principal: 'server' | 'user') {
    const alts = alternatives.map((a) => `[${a.join(' + ')}]`).join(' or ');
    const why = allowed
      ? `the allow-list [${allowed.join(', ')}] permits none of them`
      : principal === 'server'
        ? 'they are current_user scopes that only a user token holds; call it through asUser(token)'
        : 'none is usable';
    super(
      'ERR_SCOPE_NOT_ALLOWED',
      `${operation} needs ${alts || 'no scopes'} and ${why}. Add one alternative to allowScopes/withScopes if this call is intended.`,
    );
    this.operation = operation;
    this.alternatives = alternatives;
    this.allowed = allowed;
  }
}

/**
 * Explicit `scopes` given to `request()` for a table operation authorise none of its alternatives: they may
 * only choose among the operation's own (never replace its rule). Nothing was requested or sent.
 */
export class ScopesMismatchError extends ManagementError {
  static override readonly code: string = 'ERR_SCOPES_MISMATCH';
  readonly operation: string;
  readonly scopes: readonly string[];
  /** What the operation accepts for this body. */
  readonly alternatives: readonly (readonly string[])[];

  constructor(operation: string, scopes: readonly string[], alternatives: readonly (readonly string[])[]) {
    const alts = alternatives.map((a) => `[${a.join(' + ')}]`).join(' or ');
    super(
      'ERR_SCOPES_MISMATCH',
      `${operation} was not sent: the explicit scopes [${scopes.join(', ')}] authorise none of its alternatives (${alts}). ` +
        'Explicit scopes can only choose among an operation\'s own alternatives: pass one of them, or leave `scopes` out.',
    );
    this.operation = operation;
    this.scopes = scopes;
    this.alternatives = alternatives;
  }
}

export class TimeoutError extends ManagementError {
  static override readonly code: string = 'ERR_TIMEOUT';
  readonly method: string;
  readonly route: string;
  readonly timeoutMs: number;
  constructor(info: RequestInfo, timeoutMs: number) {
    super('ERR_TIMEOUT', `${info.method} ${info.route} got no complete response within ${timeoutMs} ms; raise \`timeout\` or try again later.`);
    this.method = info.method;
    this.route = info.route;
    this.timeoutMs = timeoutMs;
  }
}

export class NetworkError extends ManagementError {
  static override readonly code: string = 'ERR_NETWORK';
  readonly method: string;
  readonly route: string;
  constructor(info: RequestInfo, cause: unknown) {
    const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
    super('ERR_NETWORK', `${info.method} ${info.route} failed before a response arrived (${reason}); check connectivity to the tenant.`, {
      cause: sanitizeCause(cause),
    });
    this.method = info.method;
    this.route = info.route;
  }
}

/** Keep only name/message/code of a transport error (never its request object). */
function sanitizeCause(cause: unknown): unknown {
  if (!(cause instanceof Error)) return undefined;
  const clean = new Error(cause.message);
  clean.name = cause.name;
  const code = (cause as { code?: unknown }).code ?? (cause.cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') (clean as Error & { code?: string }).code = code;
  return clean;
}

export class ResponseTooLargeError extends ManagementError {
  static override readonly code: string = 'ERR_RESPONSE_TOO_LARGE';
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly limit: number;
  constructor(info: RequestInfo, status: number, limit: number) {
    super('ERR_RESPONSE_TOO_LARGE', `${info.method} ${info.route} returned more than ${limit} bytes; raise \`maxResponseBytes\` or ask for fewer fields/items.`);
    this.method = info.method;
    this.route = info.route;
    this.status = status;
    this.limit = limit;
  }
}

export class InvalidResponseError extends ManagementError {
  static override readonly code: string = 'ERR_INVALID_RESPONSE';
  readonly method: string;
  readonly route: string;
  readonly status: number;
  constructor(info: RequestInfo, status: number, reason: string) {
    super('ERR_INVALID_RESPONSE', `${info.method} ${info.route} returned ${status} with a body that is not valid JSON (${reason}); is baseUrl pointing at the Management API?`);
    this.method = info.method;
    this.route = info.route;
    this.status = status;
  }
}

/** One class for every bad option in every package: token's (re-exported here). */
export { InvalidOptionError };

export class InvalidRequestError extends ManagementError {
  static override readonly code: string = 'ERR_INVALID_REQUEST';
  constructor(message: string) {
    super('ERR_INVALID_REQUEST', message);
  }
}

/** How to see every result when Auth0's offset window would cut a walk short, per operation. */
const FULL_RESULTS: Readonly<Record<string, string>> = {
  'users.list': 'export them with a users export job (`scopebound export users`, or `exportUsers` in code)',
};

/**
 * `.all()`/`.pages()` would stop at Auth0's offset result window (1000 results) while the query has more:
 * refused rather than silently truncated. `total` is undefined when the server did not report it.
 */
export class ResultWindowError extends ManagementError {
  static override readonly code: string = 'ERR_RESULT_WINDOW';
  declare readonly code: 'ERR_RESULT_WINDOW';
  constructor(
    readonly operation: string,
    readonly limit: number,
    readonly total: number | undefined,
    checkpoint: boolean,
  ) {
    const how = FULL_RESULTS[operation] ?? (checkpoint ? "page with checkpoints instead (`{ mode: 'checkpoint' }`)" : 'narrow the query');
    super(
      'ERR_RESULT_WINDOW',
      `${operation}.all() would stop after ${limit} results: Auth0 pages through at most ${limit} results with offsets` +
        `${total === undefined ? ', and this query has more' : ` and this query has ${total}`}. To see them all, ${how}; ` +
        `narrow the query (e.g. \`q\`); or pass { truncate: true } to stop at the window on purpose.`,
    );
  }
}

export class ClientClosedError extends ManagementError {
  static override readonly code: string = 'ERR_CLIENT_CLOSED';
  constructor() {
    super('ERR_CLIENT_CLOSED', 'The management client was closed; create a new one with createManagementClient().');
  }
}
