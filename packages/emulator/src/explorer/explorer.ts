/**
 * `createExplorer`: the explorer page and its small JSON API, as one `handle(request, {peer})` function that
 * the emulator serves under `/explorer` (or `explorer.listen()` serves alone, e.g. for a real tenant).
 */
import { isLoopbackHost } from '@scopebound/token';
import type { Emulator } from '../emulator-type';
import { EmulatorOptionError } from '../errors';
import { apiErrorBody, json } from '../http';
import { webResponse } from '../light-http';
import { listenHttp, type ListenOptions, type RunningServer } from '../hosts/node';
import type { ExplorerHandler } from '../options';
import { APP_JS } from './assets/app-js';
import { APP_CSS } from './assets/app-css';
import { pageHtml } from './assets/page';
import { emulatorBackend, ExplorerProblem, tenantBackend, type Backend, type TenantTarget } from './backend';
import { findOperation, operationsDocument, type OperationsDocument } from './operations-view';
import { checkApiCall, checkPeer, newCsrfToken, SECURITY_HEADERS } from './security';
import { tryCall, type TryInput } from './try-call';

export interface ExplorerOptions {
  /** Explore this emulator: its M2M clients, signed-secret and user tokens; calls go to it in-process. */
  emulator?: Emulator;
  /** Or explore a real tenant with your @scopebound/token credentials (secrets stay in this process). */
  tenant?: TenantTarget;
}

export interface Explorer {
  /** The request handler for `/explorer/*`: `emulator.admin.setExplorer(explorer.handle)`. */
  readonly handle: ExplorerHandler;
  /** Serve the explorer alone on loopback (default 127.0.0.1, port 0); the page is at `${url}/explorer`. */
  listen(options?: ListenOptions): Promise<RunningServer>;
  /** `'emulator'` or `'tenant'`. */
  readonly mode: 'emulator' | 'tenant';
  readonly domain: string;
}

const MAX_REQUEST_BYTES = 1_048_576;

function withSecurity(response: Response): Response {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) response.headers.set(k, v);
  return response;
}

function problem(status: number, code: string, message: string, details?: Record<string, unknown>): Response {
  const body = { ...apiErrorBody(status, message, code), ...(details && Object.keys(details).length > 0 ? { details } : {}) };
  return withSecurity(json(status, body));
}

async function readJson(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) throw new ExplorerProblem(415, 'explorer_content_type', 'Send the explorer API a JSON body (content-type: application/json).');
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_REQUEST_BYTES) throw new ExplorerProblem(413, 'explorer_too_large', 'The request body is larger than 1 MiB.');
  const text = await request.text();
  if (text.length > MAX_REQUEST_BYTES) throw new ExplorerProblem(413, 'explorer_too_large', 'The request body is larger than 1 MiB.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ExplorerProblem(400, 'explorer_invalid_json', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ExplorerProblem(400, 'explorer_invalid_json', 'The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

function scopeList(value: unknown): string[] {
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string' || s === '' || /\s/.test(s))) {
    throw new ExplorerProblem(400, 'explorer_invalid_scopes', 'scopes must be an array of scope names, e.g. ["read:users"].');
  }
  return [...new Set(value as string[])];
}

export function createExplorer(options: ExplorerOptions): Explorer {
  if (typeof options !== 'object' || options === null) throw new EmulatorOptionError('explorer', 'pass {emulator} or {tenant: {domain, credentials}}');
  if ((options.emulator === undefined) === (options.tenant === undefined)) {
    throw new EmulatorOptionError('emulator', 'pass exactly one of `emulator` (an emulator to explore) or `tenant` ({domain, credentials})');
  }
  let backend: Backend;
  if (options.emulator) {
    if (typeof options.emulator.handle !== 'function' || typeof options.emulator.admin !== 'object') {
      throw new EmulatorOptionError('emulator', 'must be an emulator from createEmulator()');
    }
    backend = emulatorBackend(options.emulator);
  } else {
    const t = options.tenant!;
    if (typeof t !== 'object' || t === null) throw new EmulatorOptionError('tenant', 'pass {domain, credentials} (and baseUrl when the tenant is not at https://{domain})');
    if (t.domain === undefined && t.baseUrl === undefined) throw new EmulatorOptionError('tenant.domain', 'pass the tenant domain (or a baseUrl)');
    if (t.domain !== undefined && (typeof t.domain !== 'string' || !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?$/i.test(t.domain))) {
      throw new EmulatorOptionError('tenant.domain', 'use a bare host name such as "dev-tenant.us.auth0.com"');
    }
    const creds = Array.isArray(t.credentials) ? t.credentials : [t.credentials];
    if (creds.length === 0 || creds.some((c) => typeof c !== 'object' || c === null || typeof (c as { kind?: unknown }).kind !== 'string')) {
      throw new EmulatorOptionError('tenant.credentials', 'pass one or more credentials from @scopebound/token (clientSecret, privateKeyJwt, signedSecret)');
    }
    if (t.baseUrl !== undefined) {
      try {
        new URL(t.baseUrl);
      } catch {
        throw new EmulatorOptionError('tenant.baseUrl', 'must be an absolute URL such as http://127.0.0.1:4010');
      }
    }
    backend = tenantBackend(t);
  }
  // One token per explorer (the session): embedded in the page, required on every API call.
  const csrfToken = newCsrfToken();
  let document: OperationsDocument | undefined;

  async function api(request: Request, url: URL, route: string): Promise<Response> {
    const method = request.method.toUpperCase();
    const refused = checkApiCall(request, url, csrfToken);
    if (refused) return problem(refused.status, refused.code, refused.message);
    if (route === 'operations' && method === 'GET') {
      document ??= operationsDocument();
      return withSecurity(json(200, { mode: backend.mode, domain: backend.domain, ...document }));
    }
    if (route === 'sources' && method === 'GET') {
      return withSecurity(json(200, { sources: await backend.sources() }));
    }
    if (route === 'mint' && method === 'POST') {
      const input = await readJson(request);
      if (typeof input.source !== 'string' || input.source === '') throw new ExplorerProblem(400, 'explorer_invalid_source', 'Pick a token source.');
      const scopes = scopeList(input.scopes);
      if (scopes.length === 0) throw new ExplorerProblem(400, 'explorer_no_scopes', 'Add at least one scope before minting.');
      const userId = typeof input.userId === 'string' ? input.userId : undefined;
      const minted = await backend.mint(input.source, scopes, userId !== undefined ? { userId } : {});
      return withSecurity(json(200, minted));
    }
    if (route === 'try' && method === 'POST') {
      const input = (await readJson(request)) as Partial<TryInput>;
      const op = typeof input.operation === 'string' ? findOperation(input.operation) : undefined;
      if (!op) throw new ExplorerProblem(404, 'explorer_unknown_operation', `Unknown operation "${String(input.operation)}"; pick one from the list.`);
      return withSecurity(json(200, await tryCall(backend, op, input as TryInput)));
    }
    if (['operations', 'sources', 'mint', 'try'].includes(route)) return problem(405, 'explorer_method', `${method} is not allowed here.`);
    return problem(404, 'explorer_not_found', 'No such explorer endpoint.');
  }

  const handle: ExplorerHandler = async (request, context) => {
    const peer = context?.peer;
    const refused = checkPeer(request, peer);
    if (refused) return problem(refused.status, refused.code, refused.message);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return problem(400, 'explorer_bad_url', 'Bad request URL.');
    }
    const path = url.pathname;
    const method = request.method.toUpperCase();
    try {
      if (path.startsWith('/explorer/api/')) return await api(request, url, path.slice('/explorer/api/'.length));
      if (method !== 'GET' && method !== 'HEAD') return problem(405, 'explorer_method', `${method} is not allowed here.`);
      if (path === '/explorer' || path === '/explorer/') {
        return withSecurity(new Response(pageHtml({ csrfToken, domain: backend.domain, mode: backend.mode }), { headers: { 'content-type': 'text/html; charset=utf-8' } }));
      }
      if (path === '/explorer/app.js') return withSecurity(new Response(APP_JS, { headers: { 'content-type': 'text/javascript; charset=utf-8' } }));
      if (path === '/explorer/app.css') return withSecurity(new Response(APP_CSS, { headers: { 'content-type': 'text/css; charset=utf-8' } }));
      return problem(404, 'explorer_not_found', 'No such explorer page; open /explorer.');
    } catch (error) {
      if (error instanceof ExplorerProblem) return problem(error.status, error.code, error.message, error.details);
      return problem(500, 'explorer_failed', 'The explorer failed to answer; see the server console.');
    }
  };

  return {
    handle: async (request, context) => webResponse(await handle(request, context)),
    mode: backend.mode,
    domain: backend.domain,
    async listen(listenOptions = {}) {
      const host = listenOptions.host ?? '127.0.0.1';
      if (!isLoopbackHost(host)) {
        throw new EmulatorOptionError('host', 'the explorer listens on loopback only (127.0.0.1, ::1 or localhost)');
      }
      return listenHttp(
        async (request, ctx) => {
          const path = new URL(request.url).pathname;
          if (path === '/') return withSecurity(new Response(null, { status: 302, headers: { location: '/explorer' } }));
          if (path === '/explorer' || path.startsWith('/explorer/')) return handle(request, ctx);
          return problem(404, 'explorer_not_found', 'Only the explorer is served here; open /explorer.');
        },
        { ...listenOptions, host },
        { onListen: () => undefined, onClose: () => undefined },
      );
    },
  };
}
