/**
 * The example app: plans in app_metadata, a profile page reading user_metadata, an admin list with search and
 * pagination, a role assignment. Every route declares its allow-list; the client asks for the least
 * privileged token each call needs, so changing a plan uses a token for `update:users_app_metadata` alone.
 */
import express, { type Express, type Request, type Response } from 'express';
import { allowScopes, scopebound, scopeboundErrorHandler, type MappedError } from '@scopebound/express';
import { createManagementClient, type ManagementClient } from '@scopebound/management';
import type { UsageRecorder } from '@scopebound/management/usage';
import { createTokenProvider, type Credential, type TokenEvent, type TokenProvider } from '@scopebound/token';
import { escape, html, page, type Html } from './html';

export interface AppOptions {
  /** Tenant hostname (the emulator's domain, or e.g. `acme.eu.auth0.com`). */
  domain: string;
  /** Where the tenant is when it is not `https://{domain}` (an emulator listening on a port). */
  baseUrl?: string;
  /** One credential or a pool (least privileged covering one is used per call). */
  credentials: Credential | readonly Credential[];
  /** A fetch-compatible function (the emulator's in-process fetch). Default: the network. */
  fetch?: typeof globalThis.fetch;
  /** Token events (mints, cache hits): the tour prints them. Never carries a token value. */
  onTokenEvent?: (event: TokenEvent) => void;
  /** The plans a user can be moved to. Default free, pro, enterprise. */
  plans?: readonly string[];
  /** Record which operations and scopes the routes use (`scopebound grants plan` turns it into a pool). */
  usage?: UsageRecorder;
}

export interface ExampleApp {
  readonly app: Express;
  readonly client: ManagementClient;
  readonly tokens: TokenProvider;
  /** Every route with its allow-list (shown on the home page and by the tour). */
  readonly routes: readonly { method: string; path: string; scopes: readonly string[]; what: string }[];
  close(): Promise<void>;
}

interface UserRecord {
  user_id?: string;
  name?: string;
  email?: string;
  picture?: string;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
}

const PER_PAGE_MAX = 50;

/** Auth0 search syntax from a search box: keep words, emails and ids, drop query operators. */
export function searchQuery(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const words = input.replace(/[^\p{L}\p{N}@._+|-]+/gu, ' ').trim().split(/\s+/).filter((w) => w !== '' && !/^(AND|OR|NOT)$/.test(w)).slice(0, 5);
  return words.length > 0 ? words.join(' ') : undefined;
}

function intParam(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : fallback;
  return Math.min(max, Math.max(min, n));
}

function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

function planOf(user: UserRecord): string {
  const plan = user.app_metadata?.plan;
  return typeof plan === 'string' ? plan : 'free';
}

export function createApp(options: AppOptions): ExampleApp {
  const plans = options.plans ?? ['free', 'pro', 'enterprise'];
  const tokens = createTokenProvider({
    domain: options.domain,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    credentials: options.credentials as Credential[],
    ...(options.onTokenEvent ? { onEvent: options.onTokenEvent } : {}),
  });
  const client = createManagementClient({
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : { domain: options.domain }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    tokens,
    ...(options.usage ? { usage: options.usage } : {}),
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false, limit: '10kb' }));
  app.use(express.json({ limit: '10kb' }));
  // Every route must declare what it may call: without allowScopes a route may use no scope at all.
  app.use(scopebound({ client, requireAllowScopes: true }));

  const routes: { method: string; path: string; scopes: readonly string[]; what: string }[] = [];
  const scopesOf = new Map<string, readonly string[]>();
  const route = (method: 'get' | 'post', path: string, scopes: readonly string[], what: string, handler: (req: Request, res: Response) => Promise<void> | void) => {
    routes.push({ method: method.toUpperCase(), path, scopes, what });
    scopesOf.set(`${method.toUpperCase()} ${path}`, scopes);
    const guard = scopes.length > 0 ? [allowScopes(...scopes)] : [];
    app[method](path, ...guard, handler);
  };
  const render = (res: Response, title: string, body: Html, scopes: readonly string[]) => {
    res.type('html').send(page(title, body, scopes));
  };

  route('get', '/', [], 'this page (calls nothing, mints nothing)', (_req, res) => {
    render(
      res,
      'Scopebound example',
      html`<p>An Express app calling the Auth0 Management API through <code>req.auth0</code>. Each route below may only use
      the scopes listed; tokens are minted for exactly what a call needs and cached.</p>
      <table><tr><th>Route</th><th>Allow-list</th><th>What</th></tr>${routes.map(
        (r) => html`<tr><td><code>${r.method} ${r.path}</code></td><td class="scopes">${r.scopes.join(' ') || '—'}</td><td>${r.what}</td></tr>`,
      )}</table>`,
      [],
    );
  });

  route('get', '/users', ['read:users'], 'admin: list users, search (q) and pagination (page, per_page)', async (req, res) => {
    const q = searchQuery(req.query.q);
    const pageNo = intParam(req.query.page, 0, 0, 1000);
    const perPage = intParam(req.query.per_page, 10, 1, PER_PAGE_MAX);
    const result = (await req.auth0.users.list({
      page: pageNo,
      per_page: perPage,
      include_totals: true,
      ...(q ? { q, search_engine: 'v3' as const } : {}),
    })) as { users?: UserRecord[]; total?: number };
    const users = result.users ?? [];
    const total = result.total ?? users.length;
    const rows = users.map((u) => ({ user_id: u.user_id, name: u.name, email: u.email, plan: planOf(u) }));
    if (wantsJson(req)) {
      res.json({ users: rows, page: pageNo, per_page: perPage, total, q: q ?? null });
      return;
    }
    const link = (p: number) => `/users?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p), per_page: String(perPage) })}`;
    const last = Math.max(0, Math.ceil(total / perPage) - 1);
    render(
      res,
      'Users',
      html`<form method="get" action="/users"><input name="q" value="${q ?? ''}" placeholder="name or email">
      <button>Search</button></form>
      <p>${total} user(s)${q ? html` matching <code>${q}</code>` : ''}; page ${pageNo + 1} of ${last + 1}.</p>
      <table><tr><th>Name</th><th>Email</th><th>Plan</th></tr>${rows.map(
        (u) => html`<tr><td><a href="/users/${encodeURIComponent(u.user_id ?? '')}">${u.name}</a></td><td>${u.email}</td><td>${u.plan}</td></tr>`,
      )}</table>
      <p>${pageNo > 0 ? html`<a href="${link(pageNo - 1)}">← previous</a> ` : ''}${pageNo < last ? html`<a href="${link(pageNo + 1)}">next →</a>` : ''}</p>`,
      scopesOf.get('GET /users') ?? [],
    );
  });

  const profileScopes = ['read:users', 'read:roles', 'read:role_members'];
  route('get', '/users/:id', profileScopes, "profile: user_metadata, plan (app_metadata) and roles", async (req, res) => {
    const id = String(req.params.id);
    const [user, userRoles, allRoles] = await Promise.all([
      req.auth0.users.get({ id }) as Promise<UserRecord>,
      req.auth0.users.roles.list({ id }) as Promise<{ id?: string; name?: string }[]>,
      req.auth0.roles.list() as Promise<{ id?: string; name?: string }[]>,
    ]);
    const roles = (Array.isArray(userRoles) ? userRoles : []).map((r) => r.name);
    if (wantsJson(req)) {
      res.json({ user_id: user.user_id, name: user.name, email: user.email, plan: planOf(user), user_metadata: user.user_metadata ?? {}, roles });
      return;
    }
    const meta = user.user_metadata ?? {};
    const current = planOf(user);
    render(
      res,
      user.name ?? id,
      html`<p>${user.email} · <code>${user.user_id}</code></p>
      <h2>Preferences (user_metadata)</h2>
      <table>${Object.entries(meta).map(([k, v]) => html`<tr><th>${k}</th><td>${typeof v === 'string' ? v : JSON.stringify(v)}</td></tr>`)}</table>
      ${Object.keys(meta).length === 0 ? html`<p class="muted">No user_metadata.</p>` : ''}
      <h2>Plan (app_metadata.plan): ${current}</h2>
      <form method="post" action="/users/${encodeURIComponent(id)}/plan"><select name="plan">${plans.map(
        (p) => html`<option${p === current ? html` selected` : ''}>${p}</option>`,
      )}</select> <button>Change plan</button> <span class="muted">uses a token for <code>update:users_app_metadata</code> only</span></form>
      <h2>Roles</h2><p>${roles.length > 0 ? roles.join(', ') : html`<span class="muted">none</span>`}</p>
      <form method="post" action="/users/${encodeURIComponent(id)}/roles"><select name="role">${(Array.isArray(allRoles) ? allRoles : []).map(
        (r) => html`<option value="${r.id}">${r.name}</option>`,
      )}</select> <button>Assign role</button> <span class="muted">uses <code>create:role_members</code></span></form>`,
      profileScopes,
    );
  });

  route('post', '/users/:id/plan', ['update:users_app_metadata'], 'change plan: PATCH app_metadata only', async (req, res) => {
    const id = String(req.params.id);
    const plan = (req.body as Record<string, unknown> | undefined)?.plan;
    if (typeof plan !== 'string' || !plans.includes(plan)) {
      res.status(400).json({ error: { code: 'invalid_plan', message: `plan must be one of ${plans.join(', ')}.` } });
      return;
    }
    // A body touching only app_metadata needs only update:users_app_metadata (body-aware scope rule).
    const user = (await req.auth0.users.update({ id }, { app_metadata: { plan } })) as UserRecord;
    if (wantsJson(req)) res.json({ user_id: user.user_id, plan: planOf(user) });
    else res.redirect(303, `/users/${encodeURIComponent(id)}`);
  });

  route('post', '/users/:id/roles', ['create:role_members'], 'assign a role', async (req, res) => {
    const id = String(req.params.id);
    const role = (req.body as Record<string, unknown> | undefined)?.role;
    if (typeof role !== 'string' || !/^[\w-]{1,64}$/.test(role)) {
      res.status(400).json({ error: { code: 'invalid_role', message: 'role must be a role id such as rol_demo_editor.' } });
      return;
    }
    await req.auth0.users.roles.assign({ id }, { roles: [role] });
    if (wantsJson(req)) res.json({ user_id: id, assigned: role });
    else res.redirect(303, `/users/${encodeURIComponent(id)}`);
  });

  route('get', '/roles', ['read:roles'], 'list roles', async (req, res) => {
    const roles = (await req.auth0.roles.list()) as { id?: string; name?: string; description?: string }[];
    if (wantsJson(req)) {
      res.json({ roles: roles.map((r) => ({ id: r.id, name: r.name, description: r.description })) });
      return;
    }
    render(res, 'Roles', html`<table>${roles.map((r) => html`<tr><td>${r.name}</td><td>${r.description}</td><td><code>${r.id}</code></td></tr>`)}</table>`, ['read:roles']);
  });

  route('get', '/demo/refused', ['read:users'], 'shows a refusal: tries users.delete with only read:users', async (req, res) => {
    // Deliberately outside the allow-list: refused before any network traffic, mapped to 403.
    await req.auth0.users.delete({ id: 'auth0|000000000000000000000001' });
    res.json({ deleted: true });
  });

  app.use(
    scopeboundErrorHandler<Request, Response>({
      render: (mapped: MappedError, req, res) => {
        res.status(mapped.status).set(mapped.headers);
        if (wantsJson(req)) res.json(mapped.body);
        else res.type('html').send(page(`Error ${mapped.status}`, html`<p class="error">${mapped.body.error.message}</p><p><code>${mapped.body.error.code}</code></p>`));
      },
    }),
  );

  return {
    app,
    client,
    tokens,
    routes,
    close: () => client.close(),
  };
}

export { escape };
