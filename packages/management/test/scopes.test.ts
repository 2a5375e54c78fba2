import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { createManagementClient, operations, ScopeNotAllowedError, type OperationName } from '../src/index';
import { isScopeNeed, type ScopeNeed } from '@scopebound/token';
import { API, DOMAIN, fakeTokens, globalFetch, mswServer } from './helpers';

const server = mswServer();
const seen: { method: string; url: string; auth: string | null }[] = [];
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

function echo() {
  server.use(
    http.all(`${API}/*`, ({ request }) => {
      seen.push({ method: request.method, url: request.url, auth: request.headers.get('authorization') });
      return HttpResponse.json({ ok: true });
    }),
  );
}

describe('scope resolution per operation', () => {
  const cases: [OperationName, { params?: Record<string, unknown>; body?: unknown }, string[], string[][]][] = [
    // [operation, input, requested scopes, anyOf passed to getToken]
    ['users.get', { params: { id: 'u1' } }, ['read:users'], [['read:users'], ['read:user_idp_tokens']]],
    ['users.list', {}, ['read:users'], [['read:users'], ['read:user_idp_tokens']]],
    ['users.update', { params: { id: 'u1' }, body: { app_metadata: { plan: 'pro' } } }, ['update:users_app_metadata'], [['update:users_app_metadata'], ['update:users']]],
    ['users.update', { params: { id: 'u1' }, body: { user_metadata: { a: 1 } } }, ['update:users'], [['update:users']]],
    ['users.update', { params: { id: 'u1' }, body: { app_metadata: {}, email: 'x@y.z' } }, ['update:users'], [['update:users']]],
    ['users.update', { params: { id: 'u1' }, body: { blocked: true } }, ['update:users'], [['update:users']]],
    // Every operation whose rule is not plain any-of:
    ['users.roles.list', { params: { id: 'u1' } }, ['read:role_members', 'read:roles', 'read:users'], [['read:users', 'read:roles', 'read:role_members']]],
    ['roles.users.list', { params: { id: 'r1' } }, ['read:role_members'], [['read:role_members'], ['read:users', 'read:roles']]],
    // read:client_summary (client summaries only) is narrower than read:clients: asked for first.
    ['clients.connections.get', { params: { id: 'c1' } }, ['read:client_summary', 'read:connections'], [['read:connections', 'read:client_summary'], ['read:connections', 'read:clients']]],
    ['connections.keys.rotate', { params: { id: 'c1' } }, ['create:connections_keys', 'update:connections_keys'], [['create:connections_keys', 'update:connections_keys']]],
    ['keys.customSigning.set', { body: { keys: [] } }, ['create:custom_signing_keys', 'update:custom_signing_keys'], [['create:custom_signing_keys', 'update:custom_signing_keys']]],
    ['keys.encryption.rekey', {}, ['create:encryption_keys', 'update:encryption_keys'], [['create:encryption_keys', 'update:encryption_keys']]],
    ['keys.signing.rotate', {}, ['create:signing_keys', 'update:signing_keys'], [['create:signing_keys', 'update:signing_keys']]],
    ['organizations.members.list', { params: { id: 'org_1' } }, ['read:organization_members'], [['read:organization_members']]],
    ['blacklists.list', {}, ['blacklist:tokens'], [['blacklist:tokens']]],
  ];

  it('covers every operation whose rule is all or mixed', () => {
    const nonAny = operations.filter((op) => op.rule !== 'any').map((op) => op.name).sort();
    const tested = new Set(cases.map(([name]) => name));
    expect(nonAny.length).toBe(7);
    expect(nonAny.filter((n) => !tested.has(n as OperationName))).toEqual([]);
  });

  it.each(cases)('%s %j requests %j', async (name, input, requested, anyOf) => {
    echo();
    const tokens = fakeTokens();
    const mgmt = createManagementClient({ domain: DOMAIN, fetch: globalFetch, tokens, retry: false });
    const decision = mgmt.scopesFor(name, input);
    expect([...(decision.request ?? [])].sort()).toEqual(requested);
    expect(decision.eligible).toEqual(anyOf);
    expect(decision.allowed).toBe(true);

    const op = operations.find((o) => o.name === name)!;
    const body = input.body;
    await mgmt.request(`${op.method} /api/v2${op.path}` as 'GET /api/v2/users', { params: input.params as never, body: body as never });
    expect(tokens.calls).toHaveLength(1);
    expect([...tokens.calls[0]!.required].sort()).toEqual(requested);
    // getToken gets one ScopeNeed: the eligible alternatives in the same order, each normalised (sorted).
    expect(tokens.calls[0]!.anyOf).toEqual(anyOf.map((alt) => [...alt].sort()));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe(op.method);
    await mgmt.close();
  });

  it('never requests a current_user scope for a server token', () => {
    const mgmt = createManagementClient({ domain: DOMAIN, fetch: globalFetch, tokens: fakeTokens() });
    for (const op of operations) {
      const d = mgmt.scopesFor(op.name as OperationName);
      for (const alt of d.eligible) expect(alt.some((s) => s.includes('current_user'))).toBe(false);
    }
  });

  it('scopesFor accepts a route and reports the rule', () => {
    const mgmt = createManagementClient({ domain: DOMAIN, fetch: globalFetch, tokens: fakeTokens() });
    const d = mgmt.scopesFor('PATCH /api/v2/users/{id}', { body: { app_metadata: { a: 1 } } });
    expect(d).toMatchObject({ operation: 'users.update', method: 'PATCH', route: '/api/v2/users/{id}', rule: 'any', request: ['update:users_app_metadata'] });
    expect(() => mgmt.scopesFor('users.nope' as OperationName)).toThrow(/Unknown operation/);
  });
});

describe('allow-lists', () => {
  it('refuses a call outside allowScopes before any network traffic or token request', async () => {
    let fetchCalls = 0;
    const tokens = fakeTokens();
    const mgmt = createManagementClient({
      domain: DOMAIN,
      tokens,
      allowScopes: ['read:users'],
      fetch: async () => {
        fetchCalls++;
        return new Response('{}');
      },
    });
    const err = await mgmt.users.delete({ id: 'u1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScopeNotAllowedError);
    expect(err).toMatchObject({ code: 'ERR_SCOPE_NOT_ALLOWED', operation: 'users.delete', allowed: ['read:users'] });
    expect(String((err as Error).message)).toMatch(/delete:users/);
    expect(fetchCalls).toBe(0);
    expect(tokens.calls).toHaveLength(0);
  });

  it('filters alternatives: an app_metadata update under an allow-list without update:users', async () => {
    echo();
    const tokens = fakeTokens();
    const mgmt = createManagementClient({ domain: DOMAIN, fetch: globalFetch, tokens, allowScopes: ['update:users_app_metadata'] });
    await mgmt.users.update({ id: 'u1' }, { app_metadata: { plan: 'pro' } });
    expect(tokens.calls[0]).toEqual({ required: ['update:users_app_metadata'], anyOf: [['update:users_app_metadata']] });
    await expect(mgmt.users.update({ id: 'u1' }, { email: 'a@b.c' })).rejects.toBeInstanceOf(ScopeNotAllowedError);
    expect(tokens.calls).toHaveLength(1);
    await mgmt.close();
  });

  it('withScopes narrows (and can only narrow) the allow-list', async () => {
    echo();
    const tokens = fakeTokens();
    const mgmt = createManagementClient({ domain: DOMAIN, fetch: globalFetch, tokens, allowScopes: ['read:users', 'read:roles'] });
    const view = mgmt.withScopes(['read:users', 'delete:users']);
    expect(view.allowedScopes).toEqual(['read:users']);
    await view.users.get({ id: 'u1' });
    await expect(view.users.delete({ id: 'u1' })).rejects.toBeInstanceOf(ScopeNotAllowedError);
    await expect(view.roles.list()).rejects.toBeInstanceOf(ScopeNotAllowedError);
    const d = view.scopesFor('roles.list');
    expect(d.allowed).toBe(false);
    expect(d.request).toBeUndefined();
    expect(tokens.calls).toHaveLength(1);
    expect(seen).toHaveLength(1);
    await mgmt.close();
  });

  it('refuses a current_user-only operation for a server token, with advice to use asUser', async () => {
    const mgmt = createManagementClient({ domain: DOMAIN, fetch: globalFetch, tokens: fakeTokens() });
    const d = mgmt.scopesFor('users.update', { body: { user_metadata: { a: 1 } } });
    expect(d.alternatives).toEqual([['update:current_user_metadata'], ['update:users']]);
    expect(d.eligible).toEqual([['update:users']]);
    const view = mgmt.withScopes(['update:current_user_metadata']);
    const err = await view.users.update({ id: 'u1' }, { user_metadata: { a: 1 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScopeNotAllowedError);
  });
});

describe('scope needs', () => {
  it('one frozen ScopeNeed per decision, shared by views with the same allow-list; getToken gets no anyOf options', async () => {
    echo();
    const needs: unknown[] = [];
    const options: unknown[] = [];
    const base = fakeTokens();
    const tokens = { ...base, getToken: (need: never, o?: never) => (needs.push(need), options.push(o), base.getToken(need, o)) };
    const mgmt = createManagementClient({ domain: DOMAIN, fetch: globalFetch, tokens, retry: false });
    await mgmt.users.get({ id: 'u1' });
    await mgmt.users.get({ id: 'u2' });
    await mgmt.withScopes(['read:users']).users.get({ id: 'u3' });
    await mgmt.withScopes(['read:users']).users.get({ id: 'u4' });
    expect(needs).toHaveLength(4);
    expect(isScopeNeed(needs[0])).toBe(true);
    expect(Object.isFrozen(needs[0])).toBe(true);
    expect(needs[1]).toBe(needs[0]);
    expect(needs[2]).not.toBe(needs[0]);
    expect(needs[3]).toBe(needs[2]);
    expect((needs[2] as ScopeNeed).alternatives).toEqual([['read:users']]);
    // One shared frozen empty options object (no allocation per call), never anyOf.
    expect(options).toEqual([{}, {}, {}, {}]);
    expect(new Set(options).size).toBe(1);
    expect(Object.isFrozen(options[0])).toBe(true);
    const signal = new AbortController().signal;
    await mgmt.users.get({ id: 'u5' }, undefined, { signal });
    expect(options.at(-1)).toEqual({ signal });
    await mgmt.close();
  });
});

describe('asUser', () => {
  it('sends the user token, mints nothing, and may use current_user alternatives', async () => {
    echo();
    const tokens = fakeTokens();
    const mgmt = createManagementClient({ domain: DOMAIN, fetch: globalFetch, tokens });
    const user = mgmt.asUser('user-token-abc');
    await user.users.update({ id: 'auth0|me' }, { user_metadata: { theme: 'dark' } });
    expect(tokens.calls).toHaveLength(0);
    expect(seen[0]!.auth).toBe('Bearer user-token-abc');
    expect(user.scopesFor('users.update', { body: { user_metadata: {} } }).principal).toBe('user');
    expect(() => mgmt.asUser('')).toThrow(/asUser/);
    await mgmt.close();
  });

  it('a user view keeps the allow-list', async () => {
    const mgmt = createManagementClient({ domain: DOMAIN, fetch: globalFetch, tokens: fakeTokens(), allowScopes: ['read:current_user'] });
    const user = mgmt.asUser('user-token');
    expect(user.scopesFor('users.get').request).toEqual(['read:current_user']);
    await expect(user.users.delete({ id: 'x' })).rejects.toBeInstanceOf(ScopeNotAllowedError);
  });
});
