/**
 * The tenant routes (`/oauth/token`, `/.well-known/*`, `/api/v2/*`) in order: journal context → faults →
 * rate limit → endpoint. Everything it touches comes in through the `Runtime`.
 */
import { handleApi } from './api';
import { corrupt, faultResponse, withHeaders } from './fault-answers';
import type { FiredFault } from './faults';
import type { HandleContext } from './handle-context';
import { openIdConfiguration } from './discovery';
import { DOWNLOAD_PREFIX, handleDownload } from './jobs/downloads';
import { apiError, json, oauthError } from './http';
import { peekClientId } from './peek-client';
import type { RouteMatch } from './router';
import type { Runtime } from './runtime';
import { handleTokenRequest } from './token-endpoint';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One tenant request as the pipeline sees it. */
interface TenantCall {
  readonly request: Request;
  readonly url: URL;
  readonly path: string;
  readonly method: string;
  readonly isOauth: boolean;
  readonly isApi: boolean;
  readonly subPath: string;
  readonly route: RouteMatch | undefined;
  readonly meta: { ip?: string; userAgent?: string };
}

/** The endpoint's own answer, and the client it turned out to be (when it verified one). */
async function endpoint(rt: Runtime, call: TenantCall): Promise<{ response: Response; clientId?: string }> {
  const { path, method } = call;
  if (call.isOauth) {
    const outcome = await handleTokenRequest(rt.tenant, call.request, rt.quota, call.meta);
    if (outcome.minted && outcome.clientId) rt.journal.countMint(outcome.clientId);
    return { response: outcome.response, ...(outcome.clientId ? { clientId: outcome.clientId } : {}) };
  }
  if (path === '/.well-known/jwks.json' && method === 'GET') {
    return { response: json(200, rt.keys.jwks(), { 'cache-control': 'public, max-age=15' }) };
  }
  if (path === '/.well-known/openid-configuration' && method === 'GET') return { response: openIdConfiguration(rt.tenant, call.url.origin) };
  if (path.startsWith(DOWNLOAD_PREFIX)) return { response: handleDownload(rt.tenant, method, path) };
  if (call.isApi && call.route) {
    const outcome = await handleApi(rt.tenant, call.request, call.route, call.subPath, call.url.searchParams, call.meta);
    return { response: outcome.response, ...(outcome.principal?.clientId ? { clientId: outcome.principal.clientId } : {}) };
  }
  return { response: apiError(404, 'Not Found', 'not_found') };
}

function describe(rt: Runtime, request: Request, url: URL, context: HandleContext): TenantCall {
  const path = url.pathname;
  const method = request.method.toUpperCase();
  const isApi = path === '/api/v2' || path.startsWith('/api/v2/');
  const subPath = isApi ? path.slice('/api/v2'.length) || '/' : path;
  const userAgent = request.headers.get('user-agent');
  return {
    request,
    url,
    path,
    method,
    isOauth: path === '/oauth/token',
    isApi,
    subPath,
    route: isApi ? rt.router.match(method, subPath) : undefined,
    meta: {
      ...(context.peer && context.peer !== 'in-process' ? { ip: context.peer } : {}),
      ...(userAgent ? { userAgent } : {}),
    },
  };
}

export async function handleTenant(rt: Runtime, request: Request, url: URL, context: HandleContext): Promise<Response> {
  const call = describe(rt, request, url, context);
  const { path, method, isOauth, route } = call;
  const operation = isOauth ? 'oauth.token' : route?.op.name;
  let clientId: string | undefined;
  if (rt.faults.list().some((f) => f.match?.clientId !== undefined)) clientId = await peekClientId(request, path);
  const fired: FiredFault | undefined = rt.faults.evaluate({
    method,
    path,
    ...(route ? { route: route.op.path } : isOauth ? { route: '/oauth/token' } : {}),
    ...(operation ? { operation } : {}),
    ...(clientId ? { clientId } : {}),
  });
  const record = (status: number, extra: { clientId?: string; rateLimited?: boolean } = {}) =>
    rt.journal.record({
      time: rt.clock.now(),
      method,
      path,
      ...(operation ? { operation } : {}),
      ...(extra.clientId ?? clientId ? { clientId: extra.clientId ?? clientId } : {}),
      status,
      ...(fired ? { fault: fired.rule.id } : {}),
      ...(extra.rateLimited ? { rateLimited: true } : {}),
      ...(context.peer ? { peer: context.peer } : {}),
    });
  if (fired?.rule.latencyMs) await sleep(fired.rule.latencyMs);
  if (fired?.kind === 'drop') {
    record(0);
    return Response.error();
  }
  if (fired?.kind === 'status') {
    const response = faultResponse(fired, isOauth);
    record(response.status);
    return response;
  }
  // Discovery and export downloads (a storage URL on Auth0) are outside the Management API's rate limit.
  const limit = path.startsWith('/.well-known/') || path.startsWith(DOWNLOAD_PREFIX) ? undefined : rt.limiter.take(operation ?? 'unrouted');
  if (limit && !limit.allowed) {
    const response = isOauth
      ? oauthError(429, 'too_many_requests', 'Global limit has been reached', limit.headers)
      : apiError(429, 'Global limit has been reached', 'too_many_requests', limit.headers);
    record(429, { rateLimited: true });
    return response;
  }
  const answered = await endpoint(rt, call);
  let response = answered.response;
  const who = answered.clientId ?? clientId;
  if (fired?.kind === 'malformed') response = await corrupt(response);
  withHeaders(response, limit?.headers);
  record(response.status, who ? { clientId: who } : {});
  return response;
}
