/**
 * An error status of the Management API as a typed error: the JSON error body (`errorCode`, `message`),
 * `insufficient_scope` details and the rate-limit headers, read once. Only allow-listed headers are kept and
 * every server text is redacted (token's one redaction module): a server may echo the token it was sent.
 */
import type { AccessToken } from '@scopebound/token';
import { headerNumber, parseRetryAfter, redactText, safeResponseHeaders } from '@scopebound/token/http';
import { InsufficientScopeError, ManagementApiError, RateLimitError, type ApiErrorDetails, type RequestInfo } from './errors';
import { headerValue, type TransportResponse } from './transport';

/** When a 429 says the limit resets (epoch ms): Retry-After (seconds or HTTP date), else x-ratelimit-reset. */
export function rateLimitResetAt(headers: Readonly<Record<string, string>>, now: number): number | undefined {
  const retryAfter = parseRetryAfter(headers['retry-after'], now);
  if (retryAfter !== undefined) return now + retryAfter;
  const reset = headerNumber(headers['x-ratelimit-reset']);
  return reset === undefined ? undefined : reset * 1000;
}

/** `Insufficient scope, expected any of: a, b` → the rule and the scopes. */
export function parseInsufficient(message: string | undefined): { rule: 'any' | 'all'; scopes: string[] } | undefined {
  if (!message) return undefined;
  const m = /expected (any|all) of:?\s*(.+)$/i.exec(message);
  if (!m) return undefined;
  const scopes = (m[2] as string)
    .split(/[\s,]+/)
    .map((s) => s.replace(/[.;]+$/, ''))
    .filter(Boolean);
  return { rule: (m[1] as string).toLowerCase() as 'any' | 'all', scopes };
}

function jsonObject(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // A non-JSON error body: status and headers still tell what happened.
  }
  return {};
}

/** A server string, redacted (the token sent, any JWT or bearer token), or undefined. */
const str = (v: unknown, secrets: readonly string[]) => (typeof v === 'string' ? redactText(v, secrets) : undefined);

function* headerEntries(res: TransportResponse): Iterable<readonly [string, string]> {
  for (const name in res.headers) {
    const value = headerValue(res.headers, name);
    if (value !== undefined) yield [name, value];
  }
}

/** The error for a response with status ≥ 400 (`token`: the one that was sent, for InsufficientScopeError). */
export function errorFor(res: TransportResponse, info: RequestInfo, token: AccessToken | undefined, now: number): ManagementApiError {
  const body = jsonObject(res.body);
  const secrets = token === undefined ? [] : [token.value];
  const headers = safeResponseHeaders(headerEntries(res), secrets);
  const details: ApiErrorDetails = {
    ...info,
    status: res.status,
    errorCode: str(body.errorCode, secrets),
    error: str(body.error, secrets),
    serverMessage: str(body.message, secrets) ?? str(body.error_description, secrets),
    requestId: headers['x-auth0-requestid'] ?? headers['x-request-id'],
    headers,
  };
  if (res.status === 429) {
    const limit = headerNumber(headers['x-ratelimit-limit']);
    return new RateLimitError(details, rateLimitResetAt(headers, now), limit, headerNumber(headers['x-ratelimit-remaining']));
  }
  if (res.status === 403 && details.errorCode === 'insufficient_scope') {
    const insufficient = parseInsufficient(details.serverMessage);
    return new InsufficientScopeError(details, insufficient?.scopes ?? [], insufficient?.rule ?? 'any', token?.scopes ?? []);
  }
  return new ManagementApiError(details);
}
