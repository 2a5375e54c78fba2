/**
 * Errors of @scopebound/token. Every error is a `TokenError` (a `ScopeboundError`) with a stable `code`; branch on `code` (or
 * `instanceof`), never on `message`. No error ever carries a secret or a token: messages are built from facts
 * we choose, server-provided text is redacted, and `toJSON` / `util.inspect` show only safe fields.
 */
import type { QuotaLimit } from './quota';
import { ScopeboundError } from './scopebound-error';

export type TokenErrorCode =
  | 'ERR_INVALID_OPTION'
  | 'ERR_UNKNOWN_SCOPE'
  | 'ERR_SPECIAL_SCOPE'
  | 'ERR_NO_COVERING_CREDENTIAL'
  | 'ERR_INSUFFICIENT_GRANT'
  | 'ERR_TOKEN_ENDPOINT'
  | 'ERR_TOKEN_RATE_LIMITED'
  | 'ERR_TOKEN_RESPONSE_INVALID'
  | 'ERR_TOKEN_NETWORK'
  | 'ERR_TOKEN_TIMEOUT'
  | 'ERR_CREDENTIAL'
  | 'ERR_ABORTED'
  | 'ERR_STORE';

export class TokenError extends ScopeboundError {
  static override readonly code: string = 'ERR_TOKEN';
  declare readonly code: TokenErrorCode;
  /** True when trying again later may succeed (5xx, timeouts, network failures, 429). */
  readonly retryable: boolean;

  constructor(code: TokenErrorCode, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? false;
  }
}

/** An option given to a factory is missing or malformed. `option` names it. */
export class InvalidOptionError extends TokenError {
  static override readonly code: string = 'ERR_INVALID_OPTION';
  readonly option: string;
  constructor(option: string, message: string) {
    super('ERR_INVALID_OPTION', `Invalid option \`${option}\`: ${message}`);
    this.option = option;
  }
}

/** A scope name the Management API does not know. `suggestions` holds the closest known scopes. */
export class UnknownScopeError extends TokenError {
  static override readonly code: string = 'ERR_UNKNOWN_SCOPE';
  readonly scope: string;
  readonly suggestions: readonly string[];
  constructor(scope: string, suggestions: readonly string[]) {
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : '';
    super(
      'ERR_UNKNOWN_SCOPE',
      `Unknown Management API scope "${printable(scope)}".${hint} Check the spelling against the operation's scopes, or pass \`unknownScopes: 'allow'\` for a scope newer than this package.`,
    );
    this.scope = printable(scope);
    this.suggestions = suggestions;
  }
}

/** A current_user scope was requested for a server (client-credentials) token. */
export class SpecialScopeError extends TokenError {
  static override readonly code: string = 'ERR_SPECIAL_SCOPE';
  readonly scope: string;
  constructor(scope: string) {
    super(
      'ERR_SPECIAL_SCOPE',
      `"${scope}" is a current_user scope: it belongs to a logged-in user's access token and acts only on that user. It is never granted to a server token; call the operation with the user's token instead (management: \`client.asUser(userToken)\`).`,
    );
    this.scope = scope;
  }
}

/** No credential of the pool is granted scopes that cover what the call needs. */
export class NoCoveringCredentialError extends TokenError {
  static override readonly code: string = 'ERR_NO_COVERING_CREDENTIAL';
  readonly required: readonly (readonly string[])[];
  readonly credentials: readonly { clientId: string; grants: readonly string[] | 'unknown' }[];
  constructor(
    required: readonly (readonly string[])[],
    credentials: readonly { clientId: string; grants: readonly string[] | 'unknown' }[],
    cause?: unknown,
  ) {
    const need = required.map((alt) => `[${alt.join(' ')}]`).join(' or ');
    super(
      'ERR_NO_COVERING_CREDENTIAL',
      `No credential is granted the scopes this call needs (${need}); tried ${credentials.length} credential(s): ${credentials
        .map((c) => c.clientId)
        .join(', ')}. Grant the scopes to one application (Auth0 dashboard → Applications → APIs) or add a credential that has them.`,
      { cause: cause instanceof TokenError ? cause : undefined },
    );
    this.required = required;
    this.credentials = credentials;
  }
}

/** The token endpoint returned a token whose granted scopes do not cover what was requested. */
export class InsufficientGrantError extends TokenError {
  static override readonly code: string = 'ERR_INSUFFICIENT_GRANT';
  readonly clientId: string;
  readonly missing: readonly string[];
  readonly granted: readonly string[];
  constructor(clientId: string, missing: readonly string[], granted: readonly string[]) {
    super(
      'ERR_INSUFFICIENT_GRANT',
      `Client ${clientId} was not granted ${missing.join(', ')} for the Management API. Add the scopes to the application's grant (Auth0 dashboard → Applications → APIs → Auth0 Management API), or use a credential that has them.`,
    );
    this.clientId = clientId;
    this.missing = missing;
    this.granted = granted;
  }
}

/** The token endpoint answered with an error. `error`/`errorDescription` are Auth0's OAuth error fields. */
export class TokenEndpointError extends TokenError {
  static override readonly code: string = 'ERR_TOKEN_ENDPOINT';
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  readonly clientId: string;
  /** The scopes the refused request asked for (empty when it named none): what a 403 `access_denied` did not grant. */
  readonly requestedScopes: readonly string[];
  constructor(
    init: {
      status: number;
      headers: Record<string, string>;
      error?: string | undefined;
      errorDescription?: string | undefined;
      clientId: string;
      requestedScopes?: readonly string[];
      message?: string;
      retryable?: boolean;
    },
    code: TokenErrorCode = 'ERR_TOKEN_ENDPOINT',
  ) {
    const detail = init.error ? `${init.error}${init.errorDescription ? `: ${init.errorDescription}` : ''}` : 'no OAuth error body';
    super(
      code,
      init.message ??
        `The token endpoint refused client ${init.clientId} with HTTP ${init.status} (${detail}). ${adviceFor(init.status, init.error)}`,
      { retryable: init.retryable ?? (init.status >= 500 || init.status === 429) },
    );
    this.status = init.status;
    this.headers = init.headers;
    this.error = init.error;
    this.errorDescription = init.errorDescription;
    this.clientId = init.clientId;
    this.requestedScopes = Object.freeze([...(init.requestedScopes ?? [])]);
  }
}

/** HTTP 429 from the token endpoint (or a back-off still in force after one). */
export class TokenRateLimitError extends TokenEndpointError {
  static override readonly code: string = 'ERR_TOKEN_RATE_LIMITED';
  /** How long to wait before the next mint attempt, in milliseconds. */
  readonly retryAfterMs: number;
  readonly quota: readonly QuotaLimit[];
  constructor(init: {
    headers: Record<string, string>;
    error?: string | undefined;
    errorDescription?: string | undefined;
    clientId: string;
    retryAfterMs: number;
    quota: readonly QuotaLimit[];
  }) {
    super(
      {
        ...init,
        status: 429,
        retryable: true,
        message: `The token endpoint rate-limited client ${init.clientId} (HTTP 429${init.error ? `, ${init.error}` : ''}). No new token is requested for ${Math.ceil(init.retryAfterMs / 1000)} s; reduce token minting (share a store across processes) or raise the application's token quota.`,
      },
      'ERR_TOKEN_RATE_LIMITED',
    );
    this.retryAfterMs = init.retryAfterMs;
    this.quota = init.quota;
  }
}

/** The token endpoint answered 2xx with something that is not a usable token response. */
export class InvalidTokenResponseError extends TokenError {
  static override readonly code: string = 'ERR_TOKEN_RESPONSE_INVALID';
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string) {
    super(
      'ERR_TOKEN_RESPONSE_INVALID',
      `The token endpoint returned an unusable response (HTTP ${status}): ${reason}. Check \`domain\`/\`baseUrl\` points at an Auth0 tenant.`,
      { retryable: false },
    );
    this.status = status;
    this.reason = reason;
  }
}

/** The token endpoint could not be reached. */
export class TokenNetworkError extends TokenError {
  static override readonly code: string = 'ERR_TOKEN_NETWORK';
  constructor(cause: unknown) {
    super('ERR_TOKEN_NETWORK', 'Could not reach the token endpoint. Check network access to the tenant; a cached token is served meanwhile when one is still valid.', {
      cause: safeCause(cause),
      retryable: true,
    });
  }
}

/** The token request took longer than `timeoutMs`. */
export class TokenTimeoutError extends TokenError {
  static override readonly code: string = 'ERR_TOKEN_TIMEOUT';
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super('ERR_TOKEN_TIMEOUT', `The token endpoint did not answer within ${timeoutMs} ms. Raise \`timeoutMs\` or check the tenant's status.`, {
      retryable: true,
    });
    this.timeoutMs = timeoutMs;
  }
}

/** A credential could not be used (an unreadable private key, a secret function that failed, …). */
export class CredentialError extends TokenError {
  static override readonly code: string = 'ERR_CREDENTIAL';
  readonly clientId: string;
  constructor(clientId: string, message: string) {
    super('ERR_CREDENTIAL', message);
    this.clientId = clientId;
  }
}

/** The caller's AbortSignal fired. */
export class AbortedError extends TokenError {
  static override readonly code: string = 'ERR_ABORTED';
  constructor() {
    super('ERR_ABORTED', 'getToken was aborted by its signal.');
  }
}

/**
 * The token store failed (reported in an 'error' event with stage 'store', never thrown to a caller). Only
 * the failure's kind is kept: a store error's message may hold a connection string with a password.
 */
export class StoreError extends TokenError {
  static override readonly code: string = 'ERR_STORE';
  constructor(failure: unknown) {
    super(
      'ERR_STORE',
      `The token store failed (${failure instanceof Error ? failure.name : typeof failure}); falling back to the in-process cache and local minting.`,
    );
  }
}

function adviceFor(status: number, error: string | undefined): string {
  if (error === 'invalid_client' || status === 401) return 'Check the client id and its secret or key.';
  if (error === 'access_denied' || error === 'unauthorized_client' || status === 403)
    return 'Authorise the application for the Management API and grant it the scopes (Auth0 dashboard → Applications → APIs).';
  if (status >= 500) return 'Auth0 had a problem; the request is retried with back-off.';
  return 'Check the credential and the tenant configuration.';
}

/** Keep only a harmless summary of a low-level error (its name, code and message; no request data). */
function safeCause(cause: unknown): unknown {
  if (!(cause instanceof Error)) return undefined;
  const inner = (cause as { cause?: unknown }).cause;
  const err = new Error(cause.message);
  err.name = cause.name;
  const code = (cause as { code?: unknown }).code ?? (inner as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') (err as Error & { code?: string }).code = code;
  return err;
}

function printable(value: string): string {
  const cut = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return cut.replace(/[^\x20-\x7e]/g, '?');
}
