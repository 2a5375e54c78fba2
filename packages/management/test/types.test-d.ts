import { describe, expectTypeOf, it } from 'vitest';
import {
  createManagementClient,
  type ApiResponse,
  type components,
  type ManagementClient,
  type OperationName,
  type paths,
  type ScopeDecision,
  type OrganizationsMembersListResult,
} from '../src/index';

declare const mgmt: ManagementClient;
type User = components['schemas']['GetUserResponseContent'];

describe('operation methods', () => {
  it('users.get({id}) returns the user type', () => {
    expectTypeOf(mgmt.users.get({ id: 'auth0|1' })).toEqualTypeOf<Promise<User>>();
    expectTypeOf(mgmt.users.get).parameter(0).toMatchTypeOf<{ id: string; fields?: string | undefined; include_fields?: boolean | undefined }>();
    expectTypeOf(mgmt.users.get.withResponse({ id: 'x' })).toEqualTypeOf<Promise<ApiResponse<User>>>();
  });

  it('wrong params fail to compile', () => {
    // @ts-expect-error id is required
    void mgmt.users.get({});
    // @ts-expect-error id must be a string
    void mgmt.users.get({ id: 1 });
    // @ts-expect-error unknown parameter
    void mgmt.users.get({ id: 'x', nope: true });
    // @ts-expect-error params are required when the path has placeholders
    void mgmt.users.get();
    // @ts-expect-error no such operation
    void mgmt.users.fetch;
    // @ts-expect-error no such namespace
    void mgmt.usrs;
  });

  it('bodies are typed; body-only operations take the body first', () => {
    void mgmt.users.update({ id: 'x' }, { app_metadata: { plan: 'pro' } });
    void mgmt.users.create({ connection: 'Username-Password-Authentication', email: 'a@b.c', password: 'x' });
    void mgmt.blacklists.add({ jti: 'abc', aud: 'client' });
    // @ts-expect-error blocked must be a boolean
    void mgmt.users.update({ id: 'x' }, { blocked: 'yes' });
    // @ts-expect-error blacklists.add needs a body with jti
    void mgmt.blacklists.add();
    expectTypeOf(mgmt.blacklists.list({ aud: 'x' })).toEqualTypeOf<Promise<components['schemas']['ScopeboundBlacklistedToken'][]>>();
  });

  it('operations without parameters or body take only options', () => {
    void mgmt.stats.getActiveUsersCount();
    void mgmt.stats.getActiveUsersCount({ signal: AbortSignal.timeout(1000) });
    void mgmt.users.list();
    void mgmt.users.list({ q: 'email:"a@b.c"', per_page: 10 });
    // @ts-expect-error per_page is a number
    void mgmt.users.list({ per_page: '10' });
  });

  it('nested namespaces', () => {
    expectTypeOf(mgmt.organizations.members.list({ id: 'org_1' })).toEqualTypeOf<Promise<OrganizationsMembersListResult>>();
    // @ts-expect-error the organization id is required
    void mgmt.organizations.members.list({});
    expectTypeOf(mgmt.users.roles.list).toBeFunction();
  });
});

describe('pagination', () => {
  it('all() yields items of the list', () => {
    expectTypeOf(mgmt.users.list.all({ per_page: 100 })).toEqualTypeOf<AsyncIterableIterator<components['schemas']['UserResponseSchema']>>();
    expectTypeOf(mgmt.users.sessions.list.all({ user_id: 'x' })).toEqualTypeOf<AsyncIterableIterator<components['schemas']['SessionResponseContent']>>();
    expectTypeOf(mgmt.clientGrants.list.all).toBeFunction();
  });

  it('non-paginated operations have no all()', () => {
    // @ts-expect-error users.get is not paginated
    void mgmt.users.get.all;
  });
});

describe('the raw OpenAPI types', () => {
  it('paths[...] query params are usable', () => {
    type Query = NonNullable<paths['/users']['get']['parameters']['query']>;
    expectTypeOf<Query['per_page']>().toEqualTypeOf<number | undefined>();
    const q: Query = { q: 'name:"x"', page: 0, include_totals: true };
    void q;
  });
});

describe('request, scopesFor, views', () => {
  it('request() is typed for table routes and needs scopes elsewhere', () => {
    expectTypeOf(mgmt.request('GET /api/v2/users/{id}', { params: { id: 'x' } })).toEqualTypeOf<Promise<User>>();
    void mgmt.request('PATCH /api/v2/users/{id}', { params: { id: 'x' }, body: { app_metadata: {} } });
    void mgmt.request('GET /api/v2/some/new/route', { scopes: ['read:users'] });
    // @ts-expect-error a route outside the table needs scopes
    void mgmt.request('GET /api/v2/some/new/route', {});
    expectTypeOf(mgmt.request('GET /api/v2/users/{id}', { params: { id: 'x' }, raw: true })).toEqualTypeOf<Promise<ApiResponse<User>>>();
  });

  it('scopesFor takes names and routes; views are clients', () => {
    expectTypeOf(mgmt.scopesFor('users.update', { body: {} })).toEqualTypeOf<ScopeDecision>();
    type First = Parameters<ManagementClient['scopesFor']>[0];
    expectTypeOf<'users.update'>().toMatchTypeOf<First>();
    expectTypeOf<'PATCH /api/v2/users/{id}'>().toMatchTypeOf<First>();
    expectTypeOf<OperationName>().toMatchTypeOf<First>();
    // @ts-expect-error not an operation
    void mgmt.scopesFor('users.fetch');
    expectTypeOf(mgmt.withScopes(['read:users'])).toEqualTypeOf<ManagementClient>();
    expectTypeOf(mgmt.asUser('t')).toEqualTypeOf<ManagementClient>();
    expectTypeOf(createManagementClient).returns.toEqualTypeOf<ManagementClient>();
  });
});

describe('per-resource entries', () => {
  it('a users-only client has the users namespace with the same method types, and no other resource', async () => {
    const { createManagementClient: createUsersClient } = await import('../src/generated/resources/users');
    const users = createUsersClient({ domain: 'tenant.example.com', tokens: undefined as never });
    expectTypeOf(users.users.get).toEqualTypeOf<ManagementClient['users']['get']>();
    expectTypeOf(users.withScopes(['read:users']).users.list).toEqualTypeOf<ManagementClient['users']['list']>();
    expectTypeOf(users).not.toHaveProperty('roles');
    expectTypeOf(users.request('GET /api/v2/users/{id}', { params: { id: 'x' } })).toEqualTypeOf<Promise<User>>();
    // @ts-expect-error a route of another resource is not among the typed routes of a users-only client
    void users.request('GET /api/v2/roles');
  });
});
