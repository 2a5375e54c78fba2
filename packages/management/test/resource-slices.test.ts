/**
 * Per-resource entries (`@scopebound/management/resources/<resource>`): each generated slice is exactly its
 * resource's part of the whole table, its client is the same runtime limited to it (same decisions, same
 * breadth, revocation still works), and it calls over real HTTP (loopback fake tenant, undici transport).
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breadthOf, createManagementClient, InvalidRequestError, operations, type OperationDef } from '../src/index';
import * as usersEntry from '../src/generated/resources/users';
import * as rolesEntry from '../src/generated/resources/roles';
import { fakeTokens } from './helpers';
import { startLoopback } from './loopback';

const dir = new URL('../src/generated/resources/', import.meta.url);
const resources = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
const load = async (r: string) => (await import(`../src/generated/resources/${r}.ts`)) as typeof usersEntry;
const alternativesOf = (op: OperationDef) => [...op.anyOf, ...(op.bodyRules ?? []).flatMap((r) => r.anyOf)];

describe('the generated slices', () => {
  it('partition the whole table: each slice is its resource’s entries, equal and in order', async () => {
    const seen: OperationDef[] = [];
    for (const r of resources) {
      const slice = (await load(r)).operations;
      expect(slice.length).toBeGreaterThan(0);
      expect(slice).toEqual(operations.filter((op) => op.name.split('.')[0] === r));
      seen.push(...slice);
    }
    expect(seen).toEqual(operations);
    expect(resources).toContain('users');
  });

  it('a slice client reports every alternative’s breadth over the whole table, as the full client does', () => {
    const full = createManagementClient({ domain: 'tenant.example.com', tokens: fakeTokens() });
    const users = usersEntry.createManagementClient({ domain: 'tenant.example.com', tokens: fakeTokens() });
    for (const op of usersEntry.operations) {
      const body = op.bodyRules ? { app_metadata: { plan: 'pro' } } : undefined;
      expect(users.scopesFor(op.name as never, { body })).toEqual(full.scopesFor(op.name as never, { body }));
      const decision = users.scopesFor(op.name as never);
      for (const b of decision.breadth) expect(b.operations).toBe(breadthOf(b.scopes, operations));
    }
    for (const op of usersEntry.operations) for (const alt of alternativesOf(op)) expect(alt.length).toBeGreaterThan(0);
  });
});

describe('a users-only client', () => {
  let fake: Awaited<ReturnType<typeof startLoopback>>;
  beforeAll(async () => {
    fake = await startLoopback();
  });
  afterAll(() => fake.close());

  it('has the users namespace and the client methods, nothing of other resources', () => {
    const mgmt = usersEntry.createManagementClient({ domain: 'tenant.example.com', tokens: fakeTokens() });
    expect(Object.keys(mgmt).sort()).toEqual(['allowedScopes', 'asUser', 'close', 'request', 'revokeToken', 'scopesFor', 'withLabel', 'withScopes']);
    expect(mgmt.users.get.operation).toBe(usersEntry.operations.find((op) => op.name === 'users.get'));
    expect('users' in mgmt).toBe(true);
    expect('roles' in mgmt).toBe(false);
    expect((mgmt as unknown as Record<string, unknown>).roles).toBeUndefined();
    expect('roles' in mgmt.withScopes(['read:users'])).toBe(false);
    const roles = rolesEntry.createManagementClient({ domain: 'tenant.example.com', tokens: fakeTokens() });
    expect(typeof roles.roles.list).toBe('function');
    expect('users' in roles).toBe(false);
  });

  it('says where the rest of the table is when asked for an operation outside its slice', async () => {
    const mgmt = usersEntry.createManagementClient({ domain: 'tenant.example.com', tokens: fakeTokens() });
    expect(() => mgmt.scopesFor('roles.list' as never)).toThrow(InvalidRequestError);
    expect(() => mgmt.scopesFor('roles.list' as never)).toThrow(/users slice of the operation table .*@scopebound\/management/);
    await expect(mgmt.request('GET /api/v2/roles' as never)).rejects.toThrow(/GET \/api\/v2\/roles is not in the users slice/);
  });

  it('calls users.get, request() and revokeToken over real HTTP with the tokens the full client would use', async () => {
    const tokens = fakeTokens();
    const mgmt = usersEntry.createManagementClient({ baseUrl: fake.baseUrl, tokens });
    fake.setHandler((req, res) => {
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(req.method === 'POST' ? '' : JSON.stringify({ user_id: decodeURIComponent(req.url.split('/').pop() ?? '') }));
    });
    try {
      expect(await mgmt.users.get({ id: 'auth0|1' })).toEqual({ user_id: 'auth0|1' });
      expect(await mgmt.request('GET /api/v2/users/{id}', { params: { id: 'auth0|2' } })).toEqual({ user_id: 'auth0|2' });
      await mgmt.users.update({ id: 'auth0|1' }, { app_metadata: { plan: 'pro' } });
      const revoked = await mgmt.withScopes(['blacklist:tokens']).revokeToken(tokens.issued[0] as string);
      expect(revoked.jti).toBe('jti-1');
      expect(fake.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
        'GET /api/v2/users/auth0%7C1',
        'GET /api/v2/users/auth0%7C2',
        'PATCH /api/v2/users/auth0%7C1',
        'POST /api/v2/blacklists/tokens',
      ]);
      expect(tokens.calls.map((c) => c.required)).toEqual([['read:users'], ['read:users'], ['update:users_app_metadata'], ['blacklist:tokens']]);
    } finally {
      await mgmt.close();
    }
  });
});
