/**
 * The conformance suite every Scopebound framework adapter passes over real HTTP against the emulator:
 * laziness, allow-lists, concurrency, tenants, error mapping and asUser. @scopebound/express runs it on
 * Express 4 and 5, @scopebound/koa on Koa 2 and 3; each supplies how to build its app and the emulator
 * fixture (`emulatorFixture(emulatorModule)`) and its test runner's functions (vitest's and jest's fit;
 * nothing is imported from a runner here).
 */
import type { ConformanceTenant as Emulator, EmulatorFixture } from './emulator-fixture';
import { expectNoSecrets, get, serve } from './http';

export interface BuiltApp {
  app: Parameters<typeof serve>[0];
  middleware: { close(): Promise<void>; readonly tenants: number };
}

interface Assertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toHaveLength(length: number): void;
  toContain(item: unknown): void;
  toBeGreaterThanOrEqual(n: number): void;
  readonly not: Assertion;
}

/** The few test-runner functions the suite uses. */
export interface TestApi {
  describe(name: string, fn: () => void): void;
  test(name: string, fn: () => Promise<void>): void;
  afterEach(fn: () => Promise<void>): void;
  expect(actual: unknown): Assertion;
}

export interface ConformanceOptions<F> {
  /** `{ describe, test, expect, afterEach }` from the runner. */
  runner: TestApi;
  /** Framework versions under test: [label, framework module]. */
  versions: readonly (readonly [string, F])[];
  /** Build the shared test app (routes /noop, /touch, /users, /roles, /nested/..., /unguarded, /me, ...). */
  buildApp: (framework: F, options: Record<string, unknown>, errorOptions?: Record<string, unknown>) => BuiltApp;
  /** `req` or `ctx`, for test names. */
  holder: 'req' | 'ctx';
  /** Extra fields the /touch route reports for this framework. */
  touchExtra?: Record<string, unknown>;
  /** Emulated tenants (`emulatorFixture(...)`). */
  fixture: EmulatorFixture;
  /** Framework-specific tests, run inside each version's describe block. */
  extra?: (framework: F, cleanup: (() => Promise<unknown>)[]) => void;
}

export function describeAdapterConformance<F>(options: ConformanceOptions<F>): void {
  for (const [name, framework] of options.versions) options.runner.describe(name, () => suite(options, framework));
}

function suite<F>({ runner, buildApp, holder, touchExtra = {}, fixture, extra }: ConformanceOptions<F>, framework: F): void {
  const { test, expect, afterEach } = runner;
  const { demoPool, demoCredential, demoSecrets, emulator, traffic, ids: DEMO_IDS } = fixture;
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function start(emu: Emulator, extra: Record<string, unknown> = {}) {
    const { app, middleware } = buildApp(framework, { domain: emu.domain, fetch: emu.fetch, credentials: demoPool(), ...extra });
    const served = await serve(app);
    cleanup.push(() => emu.close(), () => middleware.close(), () => served.close());
    return served;
  }

  test(`lazy: a request that makes no call mints nothing, even when it touches ${holder}.auth0`, async () => {
    const emu = emulator();
    const app = await start(emu);
    expect((await get(`${app.url}/noop`)).status).toBe(200);
    const touched = await get(`${app.url}/touch`);
    expect(touched.json).toEqual({ allowed: ['read:users'], hasUsers: true, ...touchExtra });
    expect(traffic(emu)).toEqual({ mints: 0, api: 0, total: 0 });

    const users = await get(`${app.url}/users`);
    expect(users.status).toBe(200);
    expect(users.json).toHaveLength(5);
    expect(emu.journal.mints()).toEqual({ 'sb-demo-read-users': 1 });
  });

  test('allow-list refusal: 403 naming the missing scope, and no network traffic at all', async () => {
    const emu = emulator();
    const app = await start(emu);
    const res = await get(`${app.url}/users/${encodeURIComponent(DEMO_IDS.firstUser)}`, { method: 'DELETE' });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('scope_not_allowed');
    expect(res.json.error.message).toContain('users.delete');
    expect(res.json.error.message).toContain('delete:users');
    expect(res.json.error.message).toContain('[read:users]');
    expectNoSecrets(res.text, demoSecrets());
    expect(traffic(emu).total).toBe(0);
    // Still there: the refusal happened before any call.
    expect((await get(`${app.url}/users/${encodeURIComponent(DEMO_IDS.firstUser)}`)).status).toBe(200);
  });

  test('nested allow-lists narrow to their intersection', async () => {
    const emu = emulator();
    const app = await start(emu);
    const ok = await get(`${app.url}/nested/roles`);
    expect(ok.status).toBe(200);
    expect(ok.json.allowed).toEqual(['read:roles']);
    const refused = await get(`${app.url}/nested/users-through-roles-route`);
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toContain('read:users');
    expect(traffic(emu).api).toBe(1);
  });

  test('requireAllowScopes: a route without allowScopes may use no scope', async () => {
    const emu = emulator();
    const app = await start(emu, { requireAllowScopes: true });
    const res = await get(`${app.url}/unguarded`);
    expect(res.status).toBe(403);
    expect(res.json.error.message).toContain("allow-list []");
    expect(traffic(emu).total).toBe(0);
  });

  test('without requireAllowScopes the client-wide allow-list applies', async () => {
    const emu = emulator();
    const app = await start(emu, { allowScopes: ['read:roles'] });
    expect((await get(`${app.url}/unguarded`)).status).toBe(403);
    expect((await get(`${app.url}/roles`)).status).toBe(200);
    // A route's allow-list cannot widen the client's: read:users stays out.
    expect((await get(`${app.url}/users`)).status).toBe(403);
  });

  test('concurrency: 500 parallel requests over two scope sets → one mint per scope set', async () => {
    const emu = emulator();
    const app = await start(emu);
    const paths = Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? '/users' : '/roles'));
    const results = await Promise.all(paths.map((p) => get(`${app.url}${p}`)));
    expect(results.map((r) => r.status)).toEqual(paths.map(() => 200));
    expect(emu.journal.mints()).toEqual({ 'sb-demo-read-users': 1, 'sb-demo-roles-manager': 1 });
    expect(traffic(emu)).toEqual({ mints: 2, api: 500, total: 502 });
  });

  test('tenant isolation: one client per tenant, tokens and data never cross', async () => {
    const a = emulator('tenant-a.scopebound.test');
    const b = emulator('tenant-b.scopebound.test', { seed: false });
    const tenants: Record<string, Emulator> = { a, b };
    const { app, middleware } = buildApp(framework, {
      tenant: (req: any) => {
        const emu = tenants[String(req.headers['x-tenant'])];
        if (!emu) throw Object.assign(new Error('unknown tenant'), { status: 400, expose: true });
        return { domain: emu.domain, fetch: emu.fetch, credentials: demoPool() };
      },
    });
    const served = await serve(app);
    cleanup.push(() => a.close(), () => b.close(), () => middleware.close(), () => served.close());

    const fromA = await Promise.all(Array.from({ length: 20 }, () => get(`${served.url}/users`, { headers: { 'x-tenant': 'a' } })));
    const fromB = await Promise.all(Array.from({ length: 20 }, () => get(`${served.url}/users`, { headers: { 'x-tenant': 'b' } })));
    expect(fromA.every((r) => r.status === 200 && r.json.length === 5)).toBe(true);
    // Tenant B has no demo data: its users endpoint answers its own (empty) list, never A's.
    expect(fromB.map((r) => r.status)).toEqual(fromB.map(() => 200));
    expect(fromB.every((r) => Array.isArray(r.json) && r.json.length === 0)).toBe(true);
    expect(middleware.tenants).toBe(2);
    // Each tenant minted its own token once and saw only its own calls.
    expect(a.journal.mints()).toEqual({ 'sb-demo-read-users': 1 });
    expect(traffic(a).api).toBe(20);
    expect(traffic(b).api).toBe(20);
    expect(b.journal.list().every((e) => e.status !== 401)).toBe(true);

    const unknown = await get(`${served.url}/users`, { headers: { 'x-tenant': 'c' } });
    expect(unknown.status).toBe(400);
  });

  test('tenant cache is bounded: the least recently used tenant is evicted and closed', async () => {
    const emus = ['t1', 't2', 't3'].map((t) => emulator(`${t}.scopebound.test`));
    const { app, middleware } = buildApp(framework, {
      maxTenants: 2,
      evictionGraceMs: 0,
      tenant: (req: any) => {
        const emu = emus[Number(req.headers['x-tenant'])] as Emulator;
        return { domain: emu.domain, fetch: emu.fetch, credentials: demoPool() };
      },
    });
    const served = await serve(app);
    cleanup.push(...emus.map((e) => () => e.close()), () => middleware.close(), () => served.close());
    for (const t of [0, 1, 2, 0]) {
      expect((await get(`${served.url}/users`, { headers: { 'x-tenant': String(t) } })).status).toBe(200);
    }
    expect(middleware.tenants).toBe(2);
    // Tenant 0 was evicted by tenant 2, so its second request built a fresh client (and minted again).
    expect(emus[0]?.journal.mints()).toEqual({ 'sb-demo-read-users': 2 });
    expect(emus[1]?.journal.mints()).toEqual({ 'sb-demo-read-users': 1 });
  });

  test('error mapping: 404, 429 → 503 with Retry-After, 5xx → 502, server-token 403 → 502; nothing leaks', async () => {
    const emu = emulator();
    let logged = 0;
    const { app, middleware } = buildApp(
      framework,
      { domain: emu.domain, fetch: emu.fetch, credentials: demoPool(), retry: false },
      { onError: () => void logged++, clock: () => 1_000_000 },
    );
    const served = await serve(app);
    cleanup.push(() => emu.close(), () => middleware.close(), () => served.close());

    const missing = await get(`${served.url}/users/${encodeURIComponent('auth0|does-not-exist')}`);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: { code: 'not_found', message: 'Not found.' } });

    await emu.admin.addFault({ match: { operation: 'users.list' }, times: 1, status: 429, headers: { 'retry-after': '7' }, body: { statusCode: 429, error: 'Too Many Requests', message: 'Global limit has been reached' } });
    const limited = await get(`${served.url}/users`);
    expect(limited.status).toBe(503);
    expect(limited.json.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    await emu.admin.addFault({ match: { operation: 'roles.list' }, times: 1, status: 500, body: { statusCode: 500, error: 'Internal Server Error', message: 'internal detail xyz' } });
    const broken = await get(`${served.url}/roles`);
    expect(broken.status).toBe(502);
    expect(broken.text).not.toContain('internal detail xyz');

    await emu.admin.addFault({ match: { operation: 'roles.list' }, times: 1, status: 403, body: { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope, expected any of: read:roles', errorCode: 'insufficient_scope' } });
    const upstream403 = await get(`${served.url}/roles`);
    expect(upstream403.status).toBe(502);
    expect(upstream403.json.error.code).toBe('upstream_insufficient_scope');

    for (const r of [missing, limited, broken, upstream403]) expectNoSecrets(r.text, demoSecrets());
    expect(logged).toBe(4);
  });

  test('a grant missing on the application: 502 upstream_insufficient_scope naming the scope and the fix (pool, narrowing and Auth0-like tenants)', async () => {
    const cases: [string, Emulator, Record<string, unknown>][] = [
      // A pool whose declared grants cannot cover read:roles: refused before any traffic.
      ['pool', emulator(), { credentials: demoPool(['readUsers']) }],
      // One credential, grants unknown: a narrowing tenant answers 403 access_denied to scope=read:roles.
      ['narrowing tenant', emulator('narrowing.scopebound.test'), { credentials: demoCredential('readUsers') }],
      // The same against an Auth0-like tenant: it grants the application's whole grant, which lacks read:roles.
      ['Auth0-like tenant', emulator('auth0-like.scopebound.test', { narrowScopes: false }), { credentials: demoCredential('readUsers') }],
    ];
    for (const [, emu, extra] of cases) {
      const app = await start(emu, extra);
      const res = await get(`${app.url}/roles`);
      expect(res.status).toBe(502);
      expect(res.json.error.code).toBe('upstream_insufficient_scope');
      expect(res.json.error.scopes).toEqual(['read:roles']);
      expect(res.json.error.message).toContain('not granted read:roles');
      expect(res.json.error.message).toContain('scopebound grants apply');
      expectNoSecrets(res.text, demoSecrets());
      expect(traffic(emu).api).toBe(0);
    }
  });

  test('without onError, 5xx answers are logged through the pino-compatible logger (4xx are not), never a secret', async () => {
    const emu = emulator();
    const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
    const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
    const logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
    const { app, middleware } = buildApp(framework, { domain: emu.domain, fetch: emu.fetch, credentials: demoPool(), retry: false }, { logger });
    const served = await serve(app);
    cleanup.push(() => emu.close(), () => middleware.close(), () => served.close());

    expect((await get(`${served.url}/users/${encodeURIComponent('auth0|does-not-exist')}`)).status).toBe(404);
    expect(lines).toHaveLength(0);
    await emu.admin.addFault({ match: { operation: 'roles.list' }, times: 1, status: 500, body: { statusCode: 500, error: 'Internal Server Error', message: 'boom' } });
    expect((await get(`${served.url}/roles`)).status).toBe(502);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe('warn');
    expect(lines[0]?.fields).toEqual({ scopebound: 'adapter', status: 502, response: 'bad_gateway', code: 'ERR_MANAGEMENT_API', operation: 'roles.list' });
    expect(lines[0]?.message).toContain('502 bad_gateway');
    expectNoSecrets(JSON.stringify(lines), demoSecrets());
  });

  test('asUser() uses the request bearer token; without one it is a 401', async () => {
    const emu = emulator();
    const app = await start(emu);
    const userToken = await emu.admin.mintToken({ sub: DEMO_IDS.firstUser, scope: ['read:current_user'] });
    const me = await get(`${app.url}/me`, { headers: { authorization: `Bearer ${userToken}`, 'x-user-id': DEMO_IDS.firstUser } });
    expect(me.status).toBe(200);
    expect(me.json.user_id).toBe(DEMO_IDS.firstUser);
    // The user's own token was used: nothing was minted.
    expect(traffic(emu).mints).toBe(0);

    const anonymous = await get(`${app.url}/me`, { headers: { 'x-user-id': DEMO_IDS.firstUser } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(traffic(emu).api).toBe(1);

    // Someone else's profile with my token: Auth0 refuses, mapped as the user's 403 (not the app's fault).
    const other = await get(`${app.url}/me`, { headers: { authorization: `Bearer ${userToken}`, 'x-user-id': 'auth0|000000000000000000000002' } });
    expect(other.status).toBe(403);
    expect(other.json.error.code).toBe('insufficient_scope');
    expectNoSecrets(other.text);
    expect(other.text).not.toContain(userToken);
  });

  extra?.(framework, cleanup);
}
