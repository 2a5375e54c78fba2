/**
 * The core: one `handle(request) → Response` used by every host (node HTTP, in-process fetch, msw).
 * Order for tenant routes: journal context → faults → rate limit → endpoint (token, JWKS, /api/v2).
 */
import type { KeyObject } from 'node:crypto';
import { decodeJwt } from 'jose';
import { createAdmin, handleAdmin, type EmulatorAdmin } from './admin';
import { handleApi } from './api';
import { createVirtualClock, type VirtualClock } from './clock';
import { createFaultEngine, type FaultEngine, type FiredFault } from './faults';
import { apiError, apiErrorBody, json, oauthError } from './http';
import { createJournal, type JournalWriter } from './journal';
import { createKeyRing, generateRsaKeyPair, type KeyRing } from './jwks';
import type { ExplorerHandler, ResolvedOptions } from './options';
import { createQuotaTracker, type QuotaTracker } from './quota';
import { createRateLimiter, type RateLimiter } from './rate-limit';
import { randomAlnum } from './rng';
import { createRouter, type Router } from './router';
import { seedBase, seedClient, seedData, seedDemo, type SeedData } from './seed';
import { createState } from './state';
import { operations } from './table';
import type { Tenant } from './tenant';
import { writeLogFn } from './tenant';
import { handleTokenRequest } from './token-endpoint';

/** Where a request came from: `'in-process'` (fetch/msw hosts) or the socket's remote address. */
export interface HandleContext {
  peer?: string;
}

export interface Runtime {
  readonly options: ResolvedOptions;
  readonly clock: VirtualClock;
  readonly keys: KeyRing;
  readonly tenant: Tenant;
  readonly journal: JournalWriter;
  readonly faults: FaultEngine;
  readonly limiter: RateLimiter;
  readonly quota: QuotaTracker;
  readonly router: Router;
  readonly demoKey: { privateKey: KeyObject; publicKey: KeyObject };
  explorer: ExplorerHandler | undefined;
  applySeed(seed: 'demo' | false | SeedData): Promise<void>;
}

export interface Core {
  handle(request: Request, context?: HandleContext): Promise<Response>;
  readonly ready: Promise<void>;
  readonly admin: EmulatorAdmin;
  readonly journal: JournalWriter;
  addListenOrigin(origin: string): void;
  removeListenOrigin(origin: string): void;
  close(): void;
}

export function isLoopback(peer: string | undefined): boolean {
  if (peer === undefined || peer === 'in-process') return true;
  const p = peer.startsWith('::ffff:') ? peer.slice(7) : peer;
  return p === '::1' || /^127\.\d+\.\d+\.\d+$/.test(p);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function faultResponse(fired: FiredFault, isOauth: boolean): Response {
  const r = fired.rule;
  const status = r.status!;
  const body =
    r.body !== undefined
      ? r.body
      : isOauth
        ? { error: status === 429 ? 'too_many_requests' : 'server_error', error_description: `Injected fault ${r.id}` }
        : apiErrorBody(status, `Injected fault ${r.id}`, 'emulator_fault');
  const headers = { ...(status === 429 ? { 'retry-after': '1' } : {}), ...(r.headers ?? {}) };
  return typeof body === 'string' ? new Response(body, { status, headers }) : json(status, body, headers);
}

async function corrupt(response: Response): Promise<Response> {
  const text = await response.text();
  const cut = text.length > 2 ? text.slice(0, Math.ceil(text.length / 2)) : '{"';
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  headers.delete('content-length');
  return new Response(cut, { status: response.status === 204 ? 200 : response.status, headers });
}

function withHeaders(response: Response, headers: Record<string, string> | undefined): Response {
  if (!headers) return response;
  for (const [k, v] of Object.entries(headers)) {
    try {
      response.headers.set(k, v);
    } catch {
      // Immutable headers (Response.error()): nothing to add.
    }
  }
  return response;
}

/** Client id for fault matching, before any verification (never trusted for anything else). */
async function peekClientId(request: Request, path: string): Promise<string | undefined> {
  try {
    if (path === '/oauth/token') {
      const basic = request.headers.get('authorization');
      if (basic?.startsWith('Basic ')) return decodeURIComponent(Buffer.from(basic.slice(6), 'base64').toString('utf8').split(':')[0] ?? '');
      const text = await request.clone().text();
      const params = (request.headers.get('content-type') ?? '').includes('json')
        ? (JSON.parse(text) as Record<string, string>)
        : Object.fromEntries(new URLSearchParams(text));
      if (params.client_id) return params.client_id;
      if (params.client_assertion) return decodeJwt(params.client_assertion).iss;
      return undefined;
    }
    const auth = request.headers.get('authorization');
    if (!auth?.startsWith('Bearer ')) return undefined;
    const claims = decodeJwt(auth.slice(7));
    if (typeof claims.azp === 'string') return claims.azp;
    return typeof claims.sub === 'string' && claims.sub.endsWith('@clients') ? claims.sub.slice(0, -8) : undefined;
  } catch {
    return undefined;
  }
}

export function createCore(options: ResolvedOptions): Core {
  const clock = createVirtualClock(options.clock);
  const journal = createJournal(options.journalLimit);
  const faults = createFaultEngine(clock, options.faults);
  const limiter = createRateLimiter(clock, options.rateLimit);
  const quota = createQuotaTracker(clock, options.quota);
  const router = createRouter(operations);
  const listenOrigins = new Set<string>();
  let runtime: Runtime | undefined;
  let closed = false;

  const ready = (async () => {
    const keys = await createKeyRing(clock, options.jwksGraceMs);
    const demoKey = await generateRsaKeyPair();
    const tenant: Tenant = {
      domain: options.domain,
      issuer: `https://${options.domain}/`,
      managementAudience: `https://${options.domain}/api/v2/`,
      clock,
      keys,
      state: createState(),
      apiSecret: options.apiSecret ?? randomAlnum(48),
      globalClientId: `global-${randomAlnum(24)}`,
      listenOrigins,
      narrowScopes: options.narrowScopes,
      tokenTtl: options.tokenTtl,
      assertionJtis: new Map(),
      verifiedTokens: new Map(),
      writeLog: (entry) => writeLog(entry),
    };
    const writeLog = writeLogFn(() => tenant);
    const rt: Runtime = {
      options,
      clock,
      keys,
      tenant,
      journal,
      faults,
      limiter,
      quota,
      router,
      demoKey,
      explorer: options.explorer,
      async applySeed(seed) {
        if (seed === 'demo') await seedDemo(tenant, demoKey.publicKey.export({ type: 'spki', format: 'pem' }).toString());
        else if (seed) await seedData(tenant, seed);
      },
    };
    seedBase(tenant);
    await rt.applySeed(options.seed);
    for (const [i, c] of options.clients.entries()) await seedClient(tenant, c, `clients[${i}]`);
    runtime = rt;
  })();
  // Surface start-up errors on first use, never as an unhandled rejection.
  ready.catch(() => undefined);

  const admin = createAdmin(async () => {
    await ready;
    return runtime!;
  }, journal);

  async function handleTenant(rt: Runtime, request: Request, url: URL, context: HandleContext): Promise<Response> {
    const path = url.pathname;
    const method = request.method.toUpperCase();
    const isOauth = path === '/oauth/token';
    const isApi = path === '/api/v2' || path.startsWith('/api/v2/');
    const subPath = isApi ? path.slice('/api/v2'.length) || '/' : path;
    const route = isApi ? rt.router.match(method, subPath) : undefined;
    const operation = isOauth ? 'oauth.token' : route?.op.name;
    const meta = {
      ...(context.peer && context.peer !== 'in-process' ? { ip: context.peer } : {}),
      ...(request.headers.get('user-agent') ? { userAgent: request.headers.get('user-agent')! } : {}),
    };
    let clientId: string | undefined;
    const needsClient = rt.faults.list().some((f) => f.match?.clientId !== undefined);
    if (needsClient) clientId = await peekClientId(request, path);
    const fired = rt.faults.evaluate({
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
    const isWellKnown = path.startsWith('/.well-known/');
    const limit = isWellKnown ? undefined : rt.limiter.take(operation ?? 'unrouted');
    if (limit && !limit.allowed) {
      const response = isOauth
        ? oauthError(429, 'too_many_requests', 'Global limit has been reached', limit.headers)
        : apiError(429, 'Global limit has been reached', 'too_many_requests', limit.headers);
      record(429, { rateLimited: true });
      return response;
    }
    let response: Response;
    let who = clientId;
    if (isOauth) {
      const outcome = await handleTokenRequest(rt.tenant, request, rt.quota, meta);
      response = outcome.response;
      who = outcome.clientId ?? who;
      if (outcome.minted && outcome.clientId) rt.journal.countMint(outcome.clientId);
    } else if (path === '/.well-known/jwks.json' && method === 'GET') {
      response = json(200, rt.keys.jwks(), { 'cache-control': 'public, max-age=15' });
    } else if (path === '/.well-known/openid-configuration' && method === 'GET') {
      const origin = `https://${rt.tenant.domain}`;
      response = json(200, {
        issuer: rt.tenant.issuer,
        token_endpoint: `${origin}/oauth/token`,
        jwks_uri: `${origin}/.well-known/jwks.json`,
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: ['RS256', 'RS384', 'PS256'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    } else if (isApi && route) {
      const outcome = await handleApi(rt.tenant, request, route, subPath, url.searchParams, meta);
      response = outcome.response;
      who = outcome.principal?.clientId ?? who;
    } else {
      response = apiError(404, 'Not Found', 'not_found');
    }
    if (fired?.kind === 'malformed') response = await corrupt(response);
    withHeaders(response, limit?.headers);
    record(response.status, who ? { clientId: who } : {});
    return response;
  }

  async function handle(request: Request, context: HandleContext = {}): Promise<Response> {
    if (closed) return apiError(503, 'The emulator has been closed.', 'emulator_closed');
    await ready;
    const rt = runtime!;
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return apiError(400, 'Bad request URL', 'invalid_url');
    }
    const path = url.pathname;
    if (path === '/__health') return json(200, { status: 'ok', domain: rt.tenant.domain, time: new Date(rt.clock.now()).toISOString() });
    if (path === '/__admin' || path.startsWith('/__admin/')) {
      if (!isLoopback(context.peer)) {
        return apiError(403, 'The admin API only answers loopback peers (127.0.0.1, ::1) or in-process calls.', 'admin_loopback_only');
      }
      return handleAdmin(admin, rt, request, url);
    }
    if (path === '/explorer' || path.startsWith('/explorer/')) {
      if (!isLoopback(context.peer)) {
        return apiError(403, 'The explorer only answers loopback peers (127.0.0.1, ::1) or in-process calls.', 'explorer_loopback_only');
      }
      if (rt.explorer) return rt.explorer(request, context);
      return apiError(404, 'The explorer page is not installed: register one with createEmulator({explorer}) or admin.setExplorer().', 'explorer_not_installed');
    }
    return handleTenant(rt, request, url, context);
  }

  return {
    handle,
    ready,
    admin,
    journal,
    addListenOrigin: (origin) => void listenOrigins.add(origin),
    removeListenOrigin: (origin) => void listenOrigins.delete(origin),
    close() {
      closed = true;
    },
  };
}
