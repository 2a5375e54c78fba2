/**
 * Span attributes from Scopebound's trace contexts, pure: the HTTP client semantic conventions and the
 * `scopebound.*` attributes. Built only from what the contexts hold (operation, route template, origin, scopes,
 * counts, error codes): no token, secret, id, query string or body can reach an attribute.
 */
import type { Attributes } from '@opentelemetry/api';
import type { ManagementRequestContext } from '@scopebound/management';
import type { TokenMintContext } from '@scopebound/token/diagnostics';

/** Where this call's token came from: the in-process cache, the shared store, a mint for this call, or the user's own token. */
export type TokenSource = 'cache' | 'store' | 'mint' | 'user';

/** `server.address` and `server.port` of an origin (the scheme's default port when none is written). */
export function serverAttributes(origin: string | undefined): Attributes {
  if (origin === undefined) return {};
  const url = new URL(origin);
  return { 'server.address': url.hostname, 'server.port': url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443 };
}

/** A thrown value's `error.type`: a Scopebound error's stable code, else its class name (never its message). */
export function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : '_OTHER';
}

/** The span name of a call: `GET /api/v2/users/{id}` (method + route template). */
export function requestSpanName(ctx: Pick<ManagementRequestContext, 'method' | 'route'>): string {
  return `${ctx.method} ${ctx.route}`;
}

/** What is known when the call starts. */
export function requestStartAttributes(ctx: ManagementRequestContext): Attributes {
  return {
    'http.request.method': ctx.method,
    // url.full without ids or query: the template of the call's URL.
    'url.full': ctx.urlTemplate,
    'url.template': ctx.route,
    ...serverAttributes(ctx.origin),
    ...(ctx.operation !== undefined ? { 'scopebound.operation': ctx.operation } : {}),
    'scopebound.scopes.requested': ctx.alternatives.map((alt) => alt.join(' ')),
  };
}

/** What the call ended with. */
export function requestEndAttributes(ctx: ManagementRequestContext, source: TokenSource): Attributes {
  const out: Attributes = {
    'scopebound.token.source': source,
    'scopebound.attempts': ctx.attempts,
    'scopebound.retries': ctx.retries,
    'scopebound.rate_limit.retries': ctx.rateLimitRetries,
    'scopebound.rate_limit.wait_ms': ctx.rateLimitWaitMs,
  };
  if (ctx.scopes !== undefined) out['scopebound.scopes.granted'] = [...ctx.scopes];
  if (ctx.status !== undefined) out['http.response.status_code'] = ctx.status;
  if (ctx.attempts > 1) out['http.request.resend_count'] = ctx.attempts - 1;
  if (ctx.reauthenticated) out['scopebound.reauthenticated'] = true;
  if (ctx.error !== undefined) out['error.type'] = ctx.status !== undefined && ctx.status >= 400 ? String(ctx.status) : errorType(ctx.error);
  else if (ctx.status !== undefined && ctx.status >= 400) out['error.type'] = String(ctx.status);
  return out;
}

export function mintStartAttributes(ctx: TokenMintContext): Attributes {
  return {
    'scopebound.token.kind': ctx.kind,
    'scopebound.client_id': ctx.clientId,
    'scopebound.scopes.requested': [...ctx.requested],
    ...serverAttributes(ctx.origin),
  };
}

export function mintEndAttributes(ctx: TokenMintContext): Attributes {
  const out: Attributes = {};
  if (ctx.granted !== undefined) out['scopebound.scopes.granted'] = [...ctx.granted];
  if (ctx.error !== undefined) out['error.type'] = errorType(ctx.error);
  return out;
}
