import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../src/index';
import { DEMO_API, SERVER_SCOPES } from '../src/seed';
import { call, enc, harness, HOSTS } from './helpers';

describe.each(HOSTS)('stateful resources over %s', (host) => {
  const setup = harness(host, { seed: 'demo' });
  const admin = async () => (await setup).em.admin.mintToken({ sub: 'admin@clients', scope: [...SERVER_SCOPES] });

  it('creates, reads, searches, updates and deletes users', async () => {
    const { send } = await setup;
    const t = await admin();
    const created = await call(send, t, 'POST', '/api/v2/users', { connection: 'Username-Password-Authentication', email: 'New.Person@Example.com', password: 'pw-123456', app_metadata: { plan: 'pro' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'new.person@example.com', email_verified: false, app_metadata: { plan: 'pro' }, identities: [{ connection: 'Username-Password-Authentication', provider: 'auth0', isSocial: false }] });
    expect(created.body.user_id).toMatch(/^auth0\|[0-9a-f]{24}$/);
    expect(created.body.password).toBeUndefined();
    const id = created.body.user_id as string;
    expect((await call(send, t, 'POST', '/api/v2/users', { connection: 'Username-Password-Authentication', email: 'new.person@example.com', password: 'x' })).body).toEqual({ statusCode: 409, error: 'Conflict', message: 'The user already exists.', errorCode: 'auth0_idp_error' });
    expect((await call(send, t, 'POST', '/api/v2/users', { connection: 'nope', email: 'a@b.c', password: 'x' })).body.errorCode).toBe('inexistent_connection');
    expect((await call(send, t, 'GET', `/api/v2/users/${enc(id)}?fields=email,user_id`)).body).toEqual({ user_id: id, email: 'new.person@example.com' });
    const byEmail = await call(send, t, 'GET', '/api/v2/users-by-email?email=NEW.person@example.com');
    expect(byEmail.body.map((u: any) => u.user_id)).toEqual([id]);
    const search = await call(send, t, 'GET', `/api/v2/users?q=${enc('email:"new.person@example.com"')}`);
    expect(search.body.map((u: any) => u.user_id)).toEqual([id]);
    const google = await call(send, t, 'GET', `/api/v2/users?q=${enc('identities.connection:"google-oauth2" AND app_metadata.plan:pro')}&include_totals=true&per_page=100`);
    expect(google.body.total).toBeGreaterThan(0);
    expect(google.body.users.every((u: any) => u.identities[0].connection === 'google-oauth2' && u.app_metadata.plan === 'pro')).toBe(true);
    const prefix = await call(send, t, 'GET', `/api/v2/users?q=${enc('name:grace*')}&per_page=100&sort=created_at:-1`);
    expect(prefix.body.length).toBeGreaterThan(0);
    expect(prefix.body.every((u: any) => u.name.startsWith('Grace'))).toBe(true);
    expect(prefix.body[0].created_at >= prefix.body[prefix.body.length - 1].created_at).toBe(true);
    expect((await call(send, t, 'DELETE', `/api/v2/users/${enc(id)}`)).status).toBe(204);
    expect((await call(send, t, 'GET', `/api/v2/users/${enc(id)}`)).body).toEqual({ statusCode: 404, error: 'Not Found', message: 'The user does not exist.', errorCode: 'inexistent_user' });
  });

  it('merges app_metadata and user_metadata at the top level; null deletes a key; {} clears', async () => {
    const { send } = await setup;
    const t = await admin();
    const created = await call(send, t, 'POST', '/api/v2/users', { connection: 'Username-Password-Authentication', email: `merge-${host}@example.com`, password: 'pw', app_metadata: { a: 1, nested: { x: 1, y: 2 }, keep: true }, user_metadata: { theme: 'dark' } });
    const path = `/api/v2/users/${enc(created.body.user_id)}`;
    const r1 = await call(send, t, 'PATCH', path, { app_metadata: { a: 2, nested: { x: 9 }, b: 'new' } });
    expect(r1.body.app_metadata).toEqual({ a: 2, nested: { x: 9 }, keep: true, b: 'new' });
    expect(r1.body.user_metadata).toEqual({ theme: 'dark' });
    const r2 = await call(send, t, 'PATCH', path, { app_metadata: { keep: null } });
    expect(r2.body.app_metadata).toEqual({ a: 2, nested: { x: 9 }, b: 'new' });
    const r3 = await call(send, t, 'PATCH', path, { user_metadata: {} });
    expect(r3.body.user_metadata).toBeUndefined();
    const r4 = await call(send, t, 'PATCH', path, { name: 'Renamed', nickname: null });
    expect(r4.body.name).toBe('Renamed');
    expect(r4.body.nickname).toBeUndefined();
    expect(r4.body.app_metadata).toEqual({ a: 2, nested: { x: 9 }, b: 'new' });
  });

  it('pages with the offset envelope and the checkpoint envelope', async () => {
    const { send } = await setup;
    const t = await admin();
    const arr = await call(send, t, 'GET', '/api/v2/users?per_page=7&page=1');
    expect(Array.isArray(arr.body)).toBe(true);
    expect(arr.body).toHaveLength(7);
    const env = await call(send, t, 'GET', '/api/v2/users?per_page=7&page=1&include_totals=true');
    expect(Object.keys(env.body).sort()).toEqual(['length', 'limit', 'start', 'total', 'users']);
    expect(env.body).toMatchObject({ start: 7, limit: 7, length: 7 });
    expect(env.body.total).toBeGreaterThanOrEqual(300);
    expect((await call(send, t, 'GET', '/api/v2/users?per_page=101')).status).toBe(400);
    expect((await call(send, t, 'GET', '/api/v2/users?per_page=100&page=10')).body.errorCode).toBe('invalid_paging');
    // Checkpoint on organization members: walk every page with from/take.
    const org = DEMO_IDS.organizations[0];
    const all = await call(send, t, 'GET', `/api/v2/organizations/${org}/members?per_page=100`);
    const seen: string[] = [];
    let from: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await call(send, t, 'GET', `/api/v2/organizations/${org}/members?take=15${from ? `&from=${enc(from)}` : ''}`);
      expect(Object.keys(page.body).filter((k) => k !== 'next')).toEqual(['members']);
      seen.push(...page.body.members.map((m: any) => m.user_id));
      from = page.body.next;
      if (!from) break;
    }
    expect(seen).toEqual(all.body.map((m: any) => m.user_id));
    expect(seen.length).toBeGreaterThan(15);
    // Logs: checkpoint by log_id.
    await call(send, t, 'POST', '/api/v2/roles', { name: `log-me-${host}` });
    const logs1 = await call(send, t, 'GET', '/api/v2/logs?take=1');
    expect(logs1.body.logs).toHaveLength(1);
    expect(typeof logs1.body.next).toBe('string');
    const logs2 = await call(send, t, 'GET', `/api/v2/logs?take=100&from=${logs1.body.next}`);
    expect(logs2.body.logs[0].log_id > logs1.body.next).toBe(true);
  });

  it('manages roles, permissions and role members', async () => {
    const { send } = await setup;
    const t = await admin();
    const role = await call(send, t, 'POST', '/api/v2/roles', { name: `auditor-${host}`, description: 'Reads' });
    expect(role.status).toBe(200);
    expect(role.body.id).toMatch(/^rol_/);
    expect((await call(send, t, 'POST', '/api/v2/roles', { name: `auditor-${host}` })).status).toBe(409);
    const rp = `/api/v2/roles/${role.body.id}`;
    expect((await call(send, t, 'POST', `${rp}/permissions`, { permissions: [{ resource_server_identifier: DEMO_API, permission_name: 'read:billing' }] })).status).toBe(201);
    expect((await call(send, t, 'POST', `${rp}/permissions`, { permissions: [{ resource_server_identifier: DEMO_API, permission_name: 'nope' }] })).status).toBe(400);
    expect((await call(send, t, 'GET', `${rp}/permissions`)).body).toEqual([{ permission_name: 'read:billing', resource_server_identifier: DEMO_API, resource_server_name: 'Demo API', description: 'read:billing' }]);
    expect((await call(send, t, 'POST', `${rp}/users`, { users: [DEMO_IDS.firstUser] })).status).toBe(200);
    expect((await call(send, t, 'GET', `${rp}/users`)).body.map((u: any) => u.user_id)).toEqual([DEMO_IDS.firstUser]);
    const userRoles = await call(send, t, 'GET', `/api/v2/users/${enc(DEMO_IDS.firstUser)}/roles`);
    expect(userRoles.body.map((r: any) => r.id)).toContain(role.body.id);
    const perms = await call(send, t, 'GET', `/api/v2/users/${enc(DEMO_IDS.firstUser)}/permissions?include_totals=true`);
    expect(perms.body.permissions.some((p: any) => p.permission_name === 'read:billing')).toBe(true);
    expect((await call(send, t, 'DELETE', `/api/v2/users/${enc(DEMO_IDS.firstUser)}/roles`, { roles: [role.body.id] })).status).toBe(204);
    expect((await call(send, t, 'GET', `${rp}/users`)).body).toEqual([]);
    const filtered = await call(send, t, 'GET', '/api/v2/roles?name_filter=EDIT');
    expect(filtered.body.map((r: any) => r.name)).toEqual(['editor']);
  });

  it('manages organizations, members, member roles and enabled connections', async () => {
    const { send } = await setup;
    const t = await admin();
    const org = await call(send, t, 'POST', '/api/v2/organizations', { name: `wayne-${host}`, display_name: 'Wayne', metadata: { tier: 'gold' } });
    expect(org.status).toBe(201);
    const op = `/api/v2/organizations/${org.body.id}`;
    expect((await call(send, t, 'GET', `/api/v2/organizations/name/wayne-${host}`)).body.id).toBe(org.body.id);
    expect((await call(send, t, 'POST', op + '/members', { members: [DEMO_IDS.firstUser] })).status).toBe(204);
    expect((await call(send, t, 'POST', `${op}/members/${enc(DEMO_IDS.firstUser)}/roles`, { roles: [DEMO_IDS.roles.viewer] })).status).toBe(204);
    expect((await call(send, t, 'GET', `${op}/members/${enc(DEMO_IDS.firstUser)}/roles`)).body.map((r: any) => r.id)).toEqual([DEMO_IDS.roles.viewer]);
    expect((await call(send, t, 'GET', `/api/v2/users/${enc(DEMO_IDS.firstUser)}/organizations`)).body.map((o: any) => o.id)).toContain(org.body.id);
    const ec = await call(send, t, 'POST', `${op}/enabled_connections`, { connection_id: DEMO_IDS.connections.google, assign_membership_on_login: true });
    expect(ec.status).toBe(201);
    expect(ec.body).toMatchObject({ connection_id: DEMO_IDS.connections.google, assign_membership_on_login: true, connection: { name: 'google-oauth2', strategy: 'google-oauth2' } });
    expect((await call(send, t, 'PATCH', op, { metadata: { tier: null } })).body.metadata).toBeUndefined();
    expect((await call(send, t, 'DELETE', op)).status).toBe(204);
    expect((await call(send, t, 'GET', op)).status).toBe(404);
  });

  it('manages client grants, connections and resource servers', async () => {
    const { send, audience } = await setup;
    const t = await admin();
    const rs = await call(send, t, 'POST', '/api/v2/resource-servers', { identifier: `https://api-${host}.test/`, name: 'X', scopes: [{ value: 'read:x' }] });
    expect(rs.status).toBe(201);
    expect((await call(send, t, 'GET', `/api/v2/resource-servers/${enc(`https://api-${host}.test/`)}`)).body.id).toBe(rs.body.id);
    expect((await call(send, t, 'DELETE', `/api/v2/resource-servers/${enc(audience)}`)).status).toBe(403);
    const grants = await call(send, t, 'GET', `/api/v2/client-grants?audience=${enc(audience)}&client_id=sb-demo-read-users`);
    expect(grants.body).toHaveLength(1);
    expect(grants.body[0]).toMatchObject({ client_id: 'sb-demo-read-users', audience, scope: ['read:users'] });
    const patched = await call(send, t, 'PATCH', `/api/v2/client-grants/${grants.body[0].id}`, { scope: ['read:users', 'read:roles'] });
    expect(patched.body.scope).toEqual(['read:users', 'read:roles']);
    expect((await call(send, t, 'POST', '/api/v2/client-grants', { client_id: 'sb-demo-read-users', audience, scope: [] })).status).toBe(409);
    expect((await call(send, t, 'POST', '/api/v2/client-grants', { client_id: 'sb-demo-read-users', audience: `https://api-${host}.test/`, scope: ['nope'] })).status).toBe(400);
    const conn = await call(send, t, 'POST', '/api/v2/connections', { name: `corp-${host}`, strategy: 'samlp' });
    expect(conn.status).toBe(201);
    const byStrategy = await call(send, t, 'GET', '/api/v2/connections?strategy=samlp');
    expect(byStrategy.body.map((c: any) => c.name)).toEqual([`corp-${host}`]);
    expect((await call(send, t, 'POST', '/api/v2/users', { connection: `corp-${host}`, email: 'a@b.c' })).body.errorCode).toBe('operation_not_supported');
    const client = await call(send, t, 'GET', '/api/v2/clients/sb-demo-read-users');
    expect(client.body.client_secret).toBe('sb-demo-read-users-secret');
    const noKeys = await (await setup).em.admin.mintToken({ sub: 'r@clients', scope: 'read:clients' });
    expect((await call(send, noKeys, 'GET', '/api/v2/clients/sb-demo-read-users')).body.client_secret).toBeUndefined();
  });

  it('answers every other operation from the generic store', async () => {
    const { send } = await setup;
    const t = await admin();
    const created = await call(send, t, 'POST', '/api/v2/hooks', { name: 'my-hook', script: 'x', triggerId: 'credentials-exchange' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await call(send, t, 'GET', `/api/v2/hooks/${id}`)).body).toMatchObject({ name: 'my-hook' });
    expect((await call(send, t, 'GET', '/api/v2/hooks?include_totals=true')).body).toMatchObject({ total: 1, hooks: [{ id }] });
    expect((await call(send, t, 'PATCH', `/api/v2/hooks/${id}`, { enabled: true })).body).toMatchObject({ name: 'my-hook', enabled: true });
    expect((await call(send, t, 'DELETE', `/api/v2/hooks/${id}`)).status).toBe(204);
    const gone = await call(send, t, 'GET', `/api/v2/hooks/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.message).toContain('generic store');
    // Settings objects: Auth0's default until set (`{}` where Auth0 has none), then merged.
    expect((await call(send, t, 'GET', '/api/v2/branding')).body).toEqual({});
    expect((await call(send, t, 'GET', '/api/v2/attack-protection/bot-detection')).body).toMatchObject({ bot_detection_level: 'medium' });
    expect((await call(send, t, 'PATCH', '/api/v2/attack-protection/bot-detection', { bot_detection_level: 'high' })).body).toMatchObject({ bot_detection_level: 'high', allowlist: [] });
    expect((await call(send, t, 'GET', '/api/v2/attack-protection/bot-detection')).body).toMatchObject({ bot_detection_level: 'high' });
  });

  it('validates bodies and query strings with Auth0 400 bodies', async () => {
    const { send } = await setup;
    const t = await admin();
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/v2/users', { email: 'a@b.c' }, "Payload validation error: 'Missing required property: connection'."],
      ['POST', '/api/v2/users', { connection: 'Username-Password-Authentication', foo: 1 }, "Payload validation error: 'Additional properties not allowed: foo'."],
      ['POST', '/api/v2/users', { connection: 'Username-Password-Authentication', email: 42 }, "Payload validation error: 'Expected type string but found type integer' on property email."],
      ['POST', '/api/v2/users', { connection: 'Username-Password-Authentication', email: 'not-an-email' }, "Payload validation error: 'Object didn't pass validation for format email: not-an-email' on property email."],
      ['POST', '/api/v2/users', { connection: 'Username-Password-Authentication', phone_number: '123' }, "Payload validation error: 'String does not match pattern ^\\+[0-9]{1,15}$: 123' on property phone_number."],
      ['PATCH', `/api/v2/users/${enc(DEMO_IDS.firstUser)}`, { name: 'x'.repeat(301) }, "Payload validation error: 'String is too long (301 chars), maximum 300' on property name."],
      ['PATCH', `/api/v2/users/${enc(DEMO_IDS.firstUser)}`, { appMetadata: { plan: 'x' } }, "Payload validation error: 'Additional properties not allowed: appMetadata'."],
      ['POST', `/api/v2/users/${enc(DEMO_IDS.firstUser)}/roles`, { roles: [] }, "Payload validation error: 'Array is too short (0), minimum 1' on property roles."],
      ['POST', '/api/v2/roles/x/permissions', { permissions: [{ permission_name: 'a' }] }, "Payload validation error: 'Missing required property: resource_server_identifier' on property permissions[0]."],
      ['POST', '/api/v2/client-grants', { client_id: 'a', audience: 'b', organization_usage: 'sometimes' }, `Payload validation error: 'No enum match for: "sometimes"' on property organization_usage.`],
      ['PATCH', '/api/v2/client-grants/x', {}, "Payload validation error: 'Too few properties defined (0), minimum 1'."],
    ];
    for (const [method, path, body, message] of cases) {
      const res = await call(send, t, method, path, body);
      expect(res.body, `${method} ${path}`).toEqual({ statusCode: 400, error: 'Bad Request', message, errorCode: 'invalid_body' });
    }
    // The refused typo was not stored.
    expect((await call(send, t, 'GET', `/api/v2/users/${enc(DEMO_IDS.firstUser)}`)).body).not.toHaveProperty('appMetadata');
    const res = await send('/api/v2/users', { method: 'POST', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body: '{not json' });
    expect(await res.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: 'Invalid request payload JSON format', errorCode: 'invalid_json' });
    const q = await call(send, t, 'GET', '/api/v2/users?colour=blue');
    expect(q.body).toEqual({ statusCode: 400, error: 'Bad Request', message: "Query validation error: 'Additional properties not allowed: colour'.", errorCode: 'invalid_query_string' });
    expect((await call(send, t, 'GET', '/api/v2/nothing-here')).status).toBe(404);
  });

  it('reports and clears user blocks', async () => {
    const { send } = await setup;
    const t = await admin();
    const blocked = await call(send, t, 'GET', `/api/v2/users?q=${enc('blocked:true')}`);
    expect(blocked.body.length).toBeGreaterThan(0);
    const id = blocked.body[0].user_id;
    const blocks = await call(send, t, 'GET', `/api/v2/user-blocks/${enc(id)}`);
    expect(blocks.body.blocked_for).toHaveLength(1);
    const byIdentifier = await call(send, t, 'GET', `/api/v2/user-blocks?identifier=${enc(blocked.body[0].email)}`);
    expect(byIdentifier.body.blocked_for).toHaveLength(1);
    expect((await call(send, t, 'DELETE', `/api/v2/user-blocks/${enc(id)}`)).status).toBe(204);
    expect((await call(send, t, 'GET', `/api/v2/user-blocks/${enc(id)}`)).body.blocked_for).toEqual([]);
  });
});
