/**
 * docs/migrating-from-auth0.md's call table, every row, against the emulator on loopback (seed 'demo', narrowScopes:
 * a token carries exactly the scopes it was asked for). The table is parsed from the markdown (call-table.ts) and
 * each cell's call runs as the guide writes it. Each Scopebound call must succeed with the shape checked here, and
 * its token must have been asked for, granted and sent with the row's "scope asked for" (every set in that column
 * has a case). The official SDK's calls run against the same emulator (its `fetch` option maps https://{domain} to
 * the loopback origin) and must reach the operation the Scopebound call reaches: the v4 column with `auth0/legacy`
 * (node-auth0 4.37, which auth0@7 ships), the v5–v7 column with auth0@7.1.0, the installed version (v5 and v6 are
 * not run). Run by `pnpm --filter @scopebound/consumer-matrix test`.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ManagementClient as ManagementClientV7 } from 'auth0';
import { ManagementClient as ManagementClientV4 } from 'auth0/legacy';
import { createEmulator, DEMO_CLIENTS, DEMO_IDS } from '@scopebound/emulator';
import { createManagementClient, type ManagementClient, type ManagementEvent } from '@scopebound/management';
import { clientSecret, createTokenProvider, type TokenEvent } from '@scopebound/token';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCallTable, runCall, type Call, type Column, type Row } from './call-table';

const ROOT = resolve(import.meta.dirname, '../../..');
const rows = parseCallTable(readFileSync(join(ROOT, 'docs/migrating-from-auth0.md'), 'utf8'));
const tenant = createEmulator({ seed: 'demo', narrowScopes: true });
const DB = DEMO_IDS.connections.database;
const PASSWORD = 'Correct-Horse-9-battery';
const app = (key: 'admin' | 'readUsers') => DEMO_CLIENTS.find((c) => c.key === key)!;

let url: string;
let admin: ManagementClient;
let sdk: Record<'v4' | 'v7', object>;
let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}`;
const gone = (call: Promise<unknown>) => expect(call).rejects.toMatchObject({ status: 404 });
const sorted = (scopes: readonly string[]) => [...scopes].sort();

/** What a row's calls need, created through an admin client (not the one under test). */
const fx = {
  user: () => admin.users.create({ connection: 'Username-Password-Authentication', email: `${unique('guide')}@example.com`, password: PASSWORD }),
  role: () => admin.roles.create({ name: unique('guide-role'), description: 'Created by the migration guide test' }),
  app: () => admin.clients.create({ name: unique('guide-app'), app_type: 'non_interactive' }),
  org: () => admin.organizations.create({ name: unique('guide-org'), display_name: 'Guide Org' }),
  userWithRole: async () => {
    const [user, role] = await Promise.all([fx.user(), fx.role()]);
    await admin.users.roles.assign({ id: user.user_id! }, { roles: [role.id!] });
    return { user, role };
  },
};

type Ctx = Record<string, any>;
interface Case {
  /** Which of the row's scope sets the token must carry (index into the "scope asked for" column). */
  scope: number;
  /** The demo application making the call (default: admin, every server scope). */
  app?: 'admin' | 'readUsers';
  /** Values replacing the spec's for this case. */
  vars?: (ctx: Ctx) => Record<string, unknown>;
}
interface Spec {
  prepare?: () => Promise<Ctx>;
  /** The names the cells' call texts use (`id`, `data`, …), per column where they differ. */
  vars: (ctx: Ctx, column: Column) => Record<string, unknown>;
  check: (body: unknown, ctx: Ctx, column: Column) => unknown;
  /** The Scopebound calls to make (default: one, with the row's first scope set). */
  cases?: Case[];
}

const withUser = async () => ({ user: await fx.user() });
const withRole = async () => ({ role: await fx.role() });
const withApp = async () => ({ app: await fx.app() });
const withOrg = async () => ({ org: await fx.org() });
const userId = ({ user }: Ctx) => ({ id: user.user_id });
const appId = ({ app }: Ctx) => ({ id: app.client_id, client_id: app.client_id });
const one = (shape: object) => (body: unknown) => expect(body).toEqual([expect.objectContaining(shape)]);
const has = (shape: object) => (body: unknown) => expect(body).toContainEqual(expect.objectContaining(shape));
const importFile = (email: string) => JSON.stringify([{ email, email_verified: false }]);
const DEMO_API = 'https://api.demo.scopebound.test/';

/** Keyed by the Scopebound column's method. */
const SPECS: Record<string, Spec> = {
  'users.list': {
    prepare: withUser,
    vars: ({ user }) => ({ q: `email:"${user.email}"`, page: 0, per_page: 5 }),
    check: (b, { user }) => one({ user_id: user.user_id, email: user.email })(b),
  },
  'users.get': { prepare: withUser, vars: userId, check: (b, { user }) => expect(b).toMatchObject({ user_id: user.user_id, email: user.email }) },
  'users.create': {
    prepare: async () => ({ email: `${unique('guide-new')}@example.com` }),
    vars: ({ email }) => ({ data: { connection: 'Username-Password-Authentication', email, password: PASSWORD } }),
    check: (b, { email }) => expect(b).toMatchObject({ email, user_id: expect.stringMatching(/^auth0\|/) }),
  },
  'users.update': {
    prepare: withUser,
    vars: ({ user }) => ({ id: user.user_id, data: { app_metadata: { plan: 'pro' } } }),
    check: (b, { user }) => expect(b).toMatchObject({ user_id: user.user_id, app_metadata: { plan: 'pro' } }),
    // app_metadata only, then a body that also touches user_metadata.
    cases: [{ scope: 0 }, { scope: 1, vars: () => ({ data: { app_metadata: { plan: 'pro' }, user_metadata: { theme: 'dark' } } }) }],
  },
  'users.delete': {
    prepare: withUser,
    vars: userId,
    check: (b, { user }) => (expect(b).toBeUndefined(), gone(admin.users.get({ id: user.user_id }))),
  },
  'users.roles.assign': {
    prepare: async () => ({ user: await fx.user(), role: await fx.role() }),
    vars: ({ user, role }) => ({ id: user.user_id, roles: [role.id] }),
    check: async (b, { user, role }) => (expect(b).toBeUndefined(), one({ id: role.id })(await admin.users.roles.list({ id: user.user_id }))),
  },
  'users.roles.list': { prepare: fx.userWithRole, vars: userId, check: (b, { role }) => one({ id: role.id, name: role.name })(b) },
  'users.roles.delete': {
    prepare: fx.userWithRole,
    vars: ({ user, role }) => ({ id: user.user_id, roles: [role.id] }),
    check: async (b, { user }) => (expect(b).toBeUndefined(), expect(await admin.users.roles.list({ id: user.user_id })).toEqual([])),
  },
  'users.permissions.list': {
    prepare: async () => {
      const user = await fx.user();
      await admin.users.roles.assign({ id: user.user_id! }, { roles: [DEMO_IDS.roles.editor] });
      return { user };
    },
    vars: userId,
    check: (b) => {
      has({ resource_server_identifier: DEMO_API, permission_name: expect.any(String) })(b);
      const sources = (b as { sources: unknown }[]).map((p) => p.sources);
      for (const s of sources) expect(s).toEqual([expect.objectContaining({ source_id: DEMO_IDS.roles.editor, source_type: 'ROLE' })]);
    },
  },
  'usersByEmail.list': { prepare: withUser, vars: ({ user }) => ({ email: user.email }), check: (b, { user }) => one({ user_id: user.user_id })(b) },
  'roles.list': { prepare: withRole, vars: () => ({}), check: (b, { role }) => has({ id: role.id, name: role.name })(b) },
  'roles.get': { prepare: withRole, vars: ({ role }) => ({ id: role.id }), check: (b, { role }) => expect(b).toEqual(role) },
  'roles.create': {
    prepare: async () => ({ name: unique('guide-new-role') }),
    vars: ({ name }) => ({ data: { name, description: 'Edits articles' } }),
    check: (b, { name }) => expect(b).toMatchObject({ id: expect.stringMatching(/^rol_/), name, description: 'Edits articles' }),
  },
  'roles.update': {
    prepare: withRole,
    vars: ({ role }) => ({ id: role.id, data: { description: 'Edits and publishes articles' } }),
    check: (b, { role }) => expect(b).toEqual({ ...role, description: 'Edits and publishes articles' }),
  },
  'roles.delete': {
    prepare: withRole,
    vars: ({ role }) => ({ id: role.id }),
    check: (b, { role }) => (expect(b).toBeUndefined(), gone(admin.roles.get({ id: role.id }))),
  },
  'roles.users.list': {
    prepare: fx.userWithRole,
    vars: ({ role }) => ({ id: role.id }),
    check: (b, { user }) => one({ user_id: user.user_id, email: user.email })(b),
  },
  'roles.users.assign': {
    prepare: async () => ({ user: await fx.user(), role: await fx.role() }),
    vars: ({ user, role }) => ({ id: role.id, users: [user.user_id] }),
    check: async (b, { user, role }) => (expect(b).toBeUndefined(), one({ user_id: user.user_id })(await admin.roles.users.list({ id: role.id }))),
  },
  'clients.list': {
    prepare: withApp,
    vars: () => ({}),
    check: (b, { app }, column) => {
      has({ client_id: app.client_id, name: app.name })(b);
      // read:client_summary, the scope asked for, never shows secrets.
      if (column === 'scopebound') for (const c of b as object[]) expect(c).not.toHaveProperty('client_secret');
    },
  },
  'clients.get': { prepare: withApp, vars: appId, check: (b, { app }) => expect(b).toMatchObject({ client_id: app.client_id, name: app.name }) },
  'clients.create': {
    prepare: async () => ({ name: unique('guide-new-app') }),
    vars: ({ name }) => ({ data: { name, app_type: 'non_interactive' } }),
    check: (b, { name }) => expect(b).toMatchObject({ client_id: expect.any(String), client_secret: expect.any(String), name, app_type: 'non_interactive' }),
  },
  'clients.update': {
    prepare: withApp,
    vars: (ctx) => ({ ...appId(ctx), data: { description: 'Nightly sync job' } }),
    check: (b, { app }) => expect(b).toMatchObject({ client_id: app.client_id, description: 'Nightly sync job' }),
  },
  'clients.delete': {
    prepare: withApp,
    vars: appId,
    check: (b, { app }) => (expect(b).toBeUndefined(), gone(admin.clients.get({ id: app.client_id }))),
  },
  'organizations.list': { prepare: withOrg, vars: () => ({}), check: (b, { org }) => has({ id: org.id, name: org.name })(b) },
  'organizations.get': {
    prepare: withOrg,
    vars: ({ org }) => ({ id: org.id }),
    check: (b, { org }) => expect(b).toMatchObject({ id: org.id, name: org.name, display_name: 'Guide Org' }),
  },
  'organizations.create': {
    prepare: async () => ({ name: unique('guide-new-org') }),
    vars: ({ name }) => ({ data: { name, display_name: 'Acme Corp' } }),
    check: (b, { name }) => expect(b).toMatchObject({ id: expect.stringMatching(/^org_/), name, display_name: 'Acme Corp' }),
  },
  'organizations.members.list': {
    prepare: async () => {
      const [org, user] = await Promise.all([fx.org(), fx.user()]);
      await admin.organizations.members.create({ id: org.id! }, { members: [user.user_id!] });
      return { org, user };
    },
    vars: ({ org }) => ({ id: org.id }),
    check: (b, { user }) => one({ user_id: user.user_id, email: user.email })(b),
  },
  'organizations.members.create': {
    prepare: async () => ({ org: await fx.org(), user: await fx.user() }),
    vars: ({ org, user }) => ({ id: org.id, members: [user.user_id] }),
    check: async (b, { org, user }) => (expect(b).toBeUndefined(), one({ user_id: user.user_id })(await admin.organizations.members.list({ id: org.id }))),
  },
  'jobs.usersImports.create': {
    prepare: async () => ({ email: `${unique('guide-import')}@example.com` }),
    // Scopebound's body type takes the users file as a string; the SDKs send a file (multipart).
    vars: ({ email }, column) => {
      const users = column === 'scopebound' ? importFile(email) : new File([importFile(email)], 'users.json', { type: 'application/json' });
      return { users, connection_id: DB, data: { users, connection_id: DB } };
    },
    check: async (b, { email }) => {
      expect(b).toMatchObject({ id: expect.stringMatching(/^job_/), type: 'users_import', status: 'pending', connection_id: DB });
      await tenant.admin.advanceClock(5_000); // pending 0.5 s, processing 2 s on the tenant clock
      expect(await admin.jobs.get({ id: (b as { id: string }).id })).toMatchObject({ status: 'completed', summary: { inserted: 1, failed: 0 } });
      expect(await admin.usersByEmail.list({ email })).toHaveLength(1);
    },
  },
  'jobs.usersExports.create': {
    vars: () => ({ data: { format: 'json', fields: [{ name: 'email' }, { name: 'app_metadata.plan', export_as: 'plan' }] } }),
    check: (b) => expect(b).toMatchObject({ id: expect.stringMatching(/^job_/), type: 'users_export', status: 'pending', format: 'json' }),
    cases: [{ scope: 1 }],
  },
  'jobs.get': {
    prepare: async () => ({ job: await admin.jobs.usersExports.create({ format: 'csv', fields: [{ name: 'email' }] }) }),
    vars: ({ job }) => ({ id: job.id }),
    check: (b, { job }) => expect(b).toMatchObject({ id: job.id, type: 'users_export', status: expect.stringMatching(/^(pending|processing|completed)$/) }),
    // An application with create:users, then one with read:users only (the tenant refuses create:users for it).
    cases: [{ scope: 0 }, { scope: 1, app: 'readUsers' }],
  },
  // The emulator answers tickets from its generic store (no `ticket` URL, no email): the check is a JSON object.
  'tickets.changePassword': { prepare: withUser, vars: ({ user }) => ({ data: { user_id: user.user_id } }), check: (b) => expect(b).toEqual(expect.any(Object)) },
  'tickets.verifyEmail': { prepare: withUser, vars: ({ user }) => ({ data: { user_id: user.user_id } }), check: (b) => expect(b).toEqual(expect.any(Object)) },
};

const casesOf = (spec: Spec): Case[] => spec.cases ?? [{ scope: 0 }];

/** Operations the emulator answered with a success since journal entry `from`. */
const reached = (from: number) => tenant.journal.list().filter((e) => e.seq > from && e.status < 300).map((e) => e.operation);
const lastSeq = () => tenant.journal.list({ limit: 1 })[0]?.seq ?? 0;

/** v4 wraps the body in `{ data, status, headers }`; v5–v7 lists return a `Page` whose `data` is the page. */
function bodyOf(result: unknown, column: Column): unknown {
  if (column === 'v4') return (result as { data: unknown }).data;
  if (column === 'v7' && typeof (result as { hasNextPage?: unknown } | undefined)?.hasNextPage === 'function') return (result as { data: unknown }).data;
  return result;
}

beforeAll(async () => {
  ({ url } = await tenant.listen({ host: '127.0.0.1', port: 0 }));
  const key = app('admin');
  admin = createManagementClient({ baseUrl: url, credentials: clientSecret({ clientId: key.clientId, clientSecret: key.clientSecret! }) });
  // The SDKs build https://{domain} URLs; their fetch option sends them to the emulator's loopback origin.
  const toEmulator: typeof fetch = (input, init) => fetch(String(input instanceof Request ? input.url : input).replace(`https://${tenant.domain}`, url), init);
  const options = { domain: tenant.domain, clientId: key.clientId, clientSecret: key.clientSecret!, fetch: toEmulator };
  sdk = { v4: new ManagementClientV4(options), v7: new ManagementClientV7(options) };
});
afterAll(async () => {
  await admin?.close();
  await tenant.close();
});

async function scopeboundCase(row: Row, call: Call, spec: Spec, c: Case) {
  const ctx = (await spec.prepare?.()) ?? {};
  const caller = app(c.app ?? 'admin');
  const mints: Extract<TokenEvent, { type: 'mint' }>[] = [];
  const refused: (readonly string[])[] = [];
  const sent: Extract<ManagementEvent, { type: 'request' }>[] = [];
  const tokens = createTokenProvider({
    baseUrl: url,
    credentials: clientSecret({ clientId: caller.clientId, clientSecret: caller.clientSecret! }),
    onEvent: (e) => void (e.type === 'mint' ? mints.push(e) : e.type === 'fallback' && refused.push(e.refused)),
  });
  const mgmt = createManagementClient({ baseUrl: url, tokens, onEvent: (e) => void (e.type === 'request' && sent.push(e)) });
  const from = lastSeq();
  try {
    const vars = { ...spec.vars(ctx, 'scopebound'), ...c.vars?.(ctx) };
    await spec.check(await runCall(mgmt, call, 'scopebound', vars), ctx, 'scopebound');
  } finally {
    await mgmt.close();
  }
  const asked = sorted(row.scopes[c.scope]!);
  // One token, asked for and granted exactly the row's scopes, sent with the one request the call made.
  expect(mints.map((m) => ({ requested: sorted(m.requested), granted: sorted(m.scopes) }))).toEqual([{ requested: asked, granted: asked }]);
  // A narrower set first, and refused, only for an application that lacks it (the admin has every server scope).
  expect(refused.map(sorted)).toEqual(c.app && c.app !== 'admin' ? row.scopes.slice(0, c.scope).map(sorted) : []);
  expect(sent.map((e) => ({ operation: e.operation, scopes: sorted(e.scopes) }))).toEqual([{ operation: call.path, scopes: asked }]);
  expect(reached(from)).toContain(call.path);
}

async function sdkCase(column: 'v4' | 'v7', call: Call, operation: string, spec: Spec) {
  const ctx = (await spec.prepare?.()) ?? {};
  const from = lastSeq();
  const result = await runCall(sdk[column], call, column, spec.vars(ctx, column));
  await spec.check(bodyOf(result, column), ctx, column);
  expect(reached(from)).toContain(operation);
}

describe('docs/migrating-from-auth0.md call table', () => {
  it('has the 30 rows, each Scopebound call with a spec here and each scope set of a row with a case', () => {
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const named = rows.flatMap((r) => r.calls.scopebound.map((c) => c.path));
    expect(Object.keys(SPECS).sort()).toEqual([...named].sort());
    for (const row of rows) {
      const used = new Set(row.calls.scopebound.flatMap((c) => casesOf(SPECS[c.path]!).map((k) => k.scope)));
      expect([...used].sort(), `row ${row.n}: cases for scope sets`).toEqual(row.scopes.map((_, i) => i));
    }
  });

  for (const row of rows) {
    row.calls.scopebound.forEach((call, i) => {
      const spec = SPECS[call.path];
      if (!spec) return; // reported by the first test
      for (const c of casesOf(spec)) {
        const scopes = row.scopes[c.scope]?.join(' + ');
        it(`row ${row.n}: Scopebound ${call.text} asks for ${scopes}${c.app ? ` (as ${c.app})` : ''}`, () => scopeboundCase(row, call, spec, c));
      }
      it(`row ${row.n}: auth0 v4 ${row.calls.v4[i]!.text}`, () => sdkCase('v4', row.calls.v4[i]!, call.path, spec));
      it(`row ${row.n}: auth0 v7 ${row.calls.v7[i]!.text}`, () => sdkCase('v7', row.calls.v7[i]!, call.path, spec));
    });
  }
});
