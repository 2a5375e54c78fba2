/**
 * One client-credentials request to `/oauth/token` and the strict reading of its answer.
 */
import {
  InvalidTokenResponseError,
  TokenEndpointError,
  TokenError,
  TokenNetworkError,
  TokenRateLimitError,
  TokenTimeoutError,
} from './errors';
import { readCappedText } from './http/read-body';
import { redactText, safeResponseHeaders } from './http/redact';
import { parseRetryAfter } from './http/retry-after';
import { quotaFromHeaders, type QuotaLimit } from './quota';

/** Auth0 allows at most 30 days for an API token lifetime. */
export const MAX_EXPIRES_IN = 30 * 24 * 3600;
/** 429 without `Retry-After`: wait this long. */
export const DEFAULT_RATE_LIMIT_BACKOFF_MS = 10_000;

export interface TokenRequest {
  fetch: typeof globalThis.fetch;
  url: string;
  form: Record<string, string>;
  headers: Record<string, string>;
  clientId: string;
  /** Strings that must never appear in an error (client secret, assertion…). */
  secrets: readonly string[];
  timeoutMs: number;
  maxResponseBytes: number;
  /** Cap of a 429's Retry-After (or quota reset), ms. */
  maxRetryAfterMs: number;
  now: () => number;
}

export interface TokenResponse {
  accessToken: string;
  expiresIn: number;
  /** The response's `scope`, when present. */
  scope: string | undefined;
  quota: QuotaLimit[];
}

export async function requestToken(req: TokenRequest): Promise<TokenResponse> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, req.timeoutMs);
  (timer as { unref?: () => void }).unref?.();
  try {
    let response: Response;
    try {
      response = await req.fetch(req.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          ...req.headers,
        },
        body: new URLSearchParams(req.form).toString(),
        signal: controller.signal,
        redirect: 'error',
      });
    } catch (error) {
      if (timedOut) throw new TokenTimeoutError(req.timeoutMs);
      throw new TokenNetworkError(error);
    }
    const quota = quotaFromHeaders(response.headers);
    let text: string;
    try {
      text = await readBody(response, req.maxResponseBytes);
    } catch (error) {
      if (error instanceof TokenError) throw error;
      if (timedOut) throw new TokenTimeoutError(req.timeoutMs);
      throw new TokenNetworkError(error);
    }
    if (!response.ok) throw endpointError(response, text, req, quota);
    return parseTokenResponse(response.status, text, quota);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads at most `max` bytes; a longer body is an InvalidTokenResponseError (never buffered whole). */
function readBody(response: Response, max: number): Promise<string> {
  return readCappedText(response, max, ({ declared }) =>
    new InvalidTokenResponseError(
      response.status,
      declared === undefined ? `the body is larger than the ${max} bytes allowed` : `the body (${declared} bytes) is larger than the ${max} bytes allowed`,
    ),
  );
}

function endpointError(response: Response, text: string, req: TokenRequest, quota: QuotaLimit[]): TokenEndpointError {
  let error: string | undefined;
  let description: string | undefined;
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object') {
      const b = body as Record<string, unknown>;
      if (typeof b.error === 'string') error = clean(b.error, req, 100);
      const d = b.error_description ?? b.message;
      if (typeof d === 'string') description = clean(d, req, 300);
    }
  } catch {
    // not JSON: no OAuth error fields
  }
  // Only allow-listed headers, each redacted: a server may echo a secret in any header.
  const headers = safeResponseHeaders(response.headers, req.secrets, req.clientId);
  if (response.status === 429) {
    // Every server-given delay is capped: a huge Retry-After must not block minting for years.
    const asked = parseRetryAfter(response.headers.get('retry-after'), req.now()) ?? quotaResetMs(quota) ?? DEFAULT_RATE_LIMIT_BACKOFF_MS;
    const retryAfterMs = Math.min(asked, req.maxRetryAfterMs);
    return new TokenRateLimitError({ headers, error, errorDescription: description, clientId: req.clientId, retryAfterMs, quota });
  }
  const requestedScopes = req.form.scope?.split(' ').filter(Boolean) ?? [];
  return new TokenEndpointError({ status: response.status, headers, error, errorDescription: description, clientId: req.clientId, requestedScopes });
}

/** With no `Retry-After`, an exhausted quota bucket says when to come back. */
function quotaResetMs(quota: QuotaLimit[]): number | undefined {
  const exhausted = quota.filter((q) => q.remaining <= 0 && q.resetSeconds > 0);
  if (exhausted.length === 0) return undefined;
  return Math.max(...exhausted.map((q) => q.resetSeconds)) * 1000;
}

function clean(value: string, req: TokenRequest, max: number): string {
  // Known secrets in every encoding, then anything shaped like a JWT or a bearer token (one echoed back).
  const redacted = redactText(value, req.secrets, req.clientId).replace(/[\r\n\t]+/g, ' ');
  return redacted.length > max ? `${redacted.slice(0, max)}…` : redacted;
}

export function parseTokenResponse(status: number, text: string, quota: QuotaLimit[] = []): TokenResponse {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // The parse error's message quotes the body (which may hold a token): never keep it.
    throw new InvalidTokenResponseError(status, 'the body is not JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidTokenResponseError(status, 'the body is not a JSON object');
  }
  const b = body as Record<string, unknown>;
  if (typeof b.access_token !== 'string' || b.access_token.length === 0) {
    throw new InvalidTokenResponseError(status, '`access_token` is missing or not a string');
  }
  if (/\s/.test(b.access_token)) throw new InvalidTokenResponseError(status, '`access_token` contains whitespace');
  if (b.expires_in === undefined) throw new InvalidTokenResponseError(status, '`expires_in` is missing');
  if (typeof b.expires_in !== 'number' || !Number.isFinite(b.expires_in)) {
    throw new InvalidTokenResponseError(status, '`expires_in` is not a number');
  }
  if (b.expires_in <= 0) throw new InvalidTokenResponseError(status, `\`expires_in\` is ${b.expires_in}, not a positive number of seconds`);
  if (b.expires_in > MAX_EXPIRES_IN) {
    throw new InvalidTokenResponseError(status, `\`expires_in\` is ${b.expires_in} s, more than the ${MAX_EXPIRES_IN} s (30 days) Auth0 allows`);
  }
  if (b.token_type !== undefined && (typeof b.token_type !== 'string' || b.token_type.toLowerCase() !== 'bearer')) {
    throw new InvalidTokenResponseError(status, `\`token_type\` is ${JSON.stringify(String(b.token_type).slice(0, 20))}, expected "Bearer"`);
  }
  if (b.scope !== undefined && typeof b.scope !== 'string') {
    throw new InvalidTokenResponseError(status, '`scope` is not a string');
  }
  return { accessToken: b.access_token, expiresIn: b.expires_in, scope: b.scope as string | undefined, quota };
}
