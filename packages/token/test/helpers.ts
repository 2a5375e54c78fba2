/** Test helpers: an Auth0-like `/oauth/token` on msw that counts mints. */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';

export const DOMAIN = 'tenant.test.auth0.com';
export const TOKEN_URL = `https://${DOMAIN}/oauth/token`;

export interface MintCall {
  clientId: string;
  requested: string[];
  form: URLSearchParams;
  headers: Headers;
}

export interface TokenServerOptions {
  /** clientId → client secret (for client_secret_post/basic) */
  secrets?: Record<string, string>;
  /** clientId → granted scopes */
  grants: Record<string, string[]>;
  /** Honour the requested subset (a narrowing tenant); default false = Auth0-faithful (grant everything). */
  narrow?: boolean;
  expiresIn?: number;
  /** Leave out the response's `scope` (the JWT claim still has it). */
  omitScope?: boolean;
  /** Tenant domain (default DOMAIN). */
  domain?: string;
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function fakeJwt(payload: Record<string, unknown>): string {
  return `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(payload)}.${Buffer.from('sig').toString('base64url')}`;
}

export function createTokenServer(options: TokenServerOptions) {
  const calls: MintCall[] = [];
  let counter = 0;
  let gate: Promise<void> | undefined;
  let override: ((call: MintCall) => Response | Promise<Response> | undefined) | undefined;
  const handler = http.post(`https://${options.domain ?? DOMAIN}/oauth/token`, async ({ request }) => {
    const form = new URLSearchParams(await request.text());
    let clientId = form.get('client_id') ?? '';
    const auth = request.headers.get('authorization');
    let secret = form.get('client_secret');
    if (auth?.startsWith('Basic ')) {
      const [id, sec] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id!.replace(/\+/g, ' '));
      secret = decodeURIComponent(sec!.replace(/\+/g, ' '));
    }
    const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const call: MintCall = { clientId, requested, form, headers: request.headers };
    calls.push(call);
    if (gate) await gate;
    const custom = await override?.(call);
    if (custom) return custom;
    if (form.get('grant_type') !== 'client_credentials') {
      return HttpResponse.json({ error: 'unsupported_grant_type', error_description: 'bad grant' }, { status: 400 });
    }
    const granted = options.grants[clientId];
    if (!granted) return HttpResponse.json({ error: 'access_denied', error_description: 'Unauthorized' }, { status: 401 });
    if (options.secrets?.[clientId] !== undefined && options.secrets[clientId] !== secret) {
      return HttpResponse.json({ error: 'access_denied', error_description: 'Unauthorized' }, { status: 401 });
    }
    const missing = requested.filter((s) => !granted.includes(s));
    if (missing.length > 0) {
      return HttpResponse.json(
        { error: 'access_denied', error_description: `Client has not been granted scopes: ${missing.join(', ')}` },
        { status: 403 },
      );
    }
    const scopes = options.narrow && requested.length > 0 ? requested : granted;
    counter++;
    const token = fakeJwt({ sub: `${clientId}@clients`, azp: clientId, scope: scopes.join(' '), jti: `jti-${counter}` });
    return HttpResponse.json({
      access_token: token,
      expires_in: options.expiresIn ?? 86400,
      token_type: 'Bearer',
      ...(options.omitScope ? {} : { scope: scopes.join(' ') }),
    });
  });
  return {
    handler,
    calls,
    /** Hold every response until the returned function is called. */
    hold(): () => void {
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
    respond(fn: typeof override) {
      override = fn;
    },
  };
}

export function mswServer(...handlers: Parameters<typeof setupServer>) {
  return setupServer(...handlers);
}

/** Lets pending promise callbacks (and msw's internal ones) run, a bounded number of times. */
export async function flush(times = 20): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise<void>((r) => setImmediate(r));
}

/** The virtual "now" provider tests start at. */
export const T0 = Date.UTC(2026, 0, 1);
/** What the test tenant grants app-1. */
export const ALL = ['read:users', 'update:users', 'read:roles', 'create:roles', 'read:clients', 'read:logs'];

/**
 * The usual provider-test environment: an msw server that refuses unhandled requests, and fake Date and
 * timers starting at T0. Call once at the top of a test file; returns the msw server for `server.use(...)`.
 */
export function providerTestEnv(): ReturnType<typeof setupServer> {
  const server = mswServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  return server;
}
