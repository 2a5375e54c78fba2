// The type contract of issue #14: lists typed by include_totals, closed bodies, named importable types, scopes as
// the generated union, options that accept `undefined`. Runs under exactOptionalPropertyTypes (tsconfig.typecheck.json).
import { describe, expectTypeOf, it } from 'vitest';
import type { Scope } from '@scopebound/token';
import type {
  AnswerOf,
  Client,
  Connection,
  ItemOf,
  ManagementClient,
  ManagementClientOptions,
  OperationDef,
  Organization,
  OrganizationsListPage,
  OrganizationsListResponse,
  OrganizationsListResult,
  PageOf,
  PaginateOptions,
  ResultOf,
  Role,
  RolesUsersListPage,
  RolesUsersListResult,
  ScopesOf,
  User,
  UsersApi,
  UsersGetResult,
  UsersListItem,
  UsersListPage,
  UsersListParams,
  UsersListResult,
  UsersRolesApi,
  UsersSessionsListResult,
  UsersUpdateBody,
  UsersUpdateParams,
  components,
} from '../src/index';

declare const mgmt: ManagementClient;
declare const maybe: string | undefined;
declare const flag: boolean;

describe('offset lists are typed by include_totals', () => {
  it('without include_totals: the items array, usable as one', async () => {
    expectTypeOf(mgmt.users.list()).toEqualTypeOf<Promise<UsersListResult>>();
    expectTypeOf(mgmt.users.list({ q: 'email:"a@b.c"', per_page: 10 })).toEqualTypeOf<Promise<UsersListResult>>();
    expectTypeOf(mgmt.users.list({ include_totals: false })).toEqualTypeOf<Promise<UsersListResult>>();
    const emails = (await mgmt.users.list()).map((u) => u.email);
    expectTypeOf(emails).toEqualTypeOf<(string | undefined)[]>();
    expectTypeOf<UsersListResult>().toEqualTypeOf<components['schemas']['UserResponseSchema'][]>();
  });

  it('with include_totals: true, the envelope with start/limit/total', async () => {
    const page = await mgmt.users.list({ include_totals: true, per_page: 5 });
    expectTypeOf(page).toEqualTypeOf<UsersListPage>();
    expectTypeOf(page.total).toEqualTypeOf<number | undefined>();
    expectTypeOf(page.users).toEqualTypeOf<components['schemas']['UserResponseSchema'][] | undefined>();
    // @ts-expect-error the envelope is not an array
    page.map(() => 0);
    expectTypeOf(mgmt.users.list.withResponse({ include_totals: true })).toEqualTypeOf<Promise<{ readonly data: UsersListPage; readonly status: number; readonly headers: Readonly<Record<string, string>> }>>();
  });

  it('a boolean include_totals gives either', () => {
    expectTypeOf(mgmt.users.list({ include_totals: flag })).toEqualTypeOf<Promise<UsersListResult | UsersListPage>>();
    expectTypeOf<AnswerOf<'users.list'>>().toEqualTypeOf<UsersListResult | UsersListPage>();
    expectTypeOf<PageOf<'users.get'>>().toBeNever();
  });

  it('operations with both kinds: the array, the page, or any answer once checkpoint parameters are given', () => {
    expectTypeOf(mgmt.organizations.list()).toEqualTypeOf<Promise<OrganizationsListResult>>();
    expectTypeOf(mgmt.organizations.list({ include_totals: true })).toEqualTypeOf<Promise<OrganizationsListPage>>();
    expectTypeOf(mgmt.organizations.list({ take: 10 })).toEqualTypeOf<Promise<OrganizationsListResponse>>();
    expectTypeOf(mgmt.roles.users.list({ id: 'rol_1' })).toEqualTypeOf<Promise<RolesUsersListResult>>();
    expectTypeOf(mgmt.roles.users.list({ id: 'rol_1', include_totals: true })).toEqualTypeOf<Promise<RolesUsersListPage>>();
    // @ts-expect-error path parameters stay required
    void mgmt.roles.users.list({ include_totals: true });
  });

  it('checkpoint-only lists are unchanged; .all() yields the named item type', () => {
    expectTypeOf(mgmt.users.sessions.list({ user_id: 'x' })).toEqualTypeOf<Promise<UsersSessionsListResult>>();
    expectTypeOf(mgmt.users.list.all()).toEqualTypeOf<AsyncIterableIterator<UsersListItem>>();
    expectTypeOf<ItemOf<'users.list'>>().toEqualTypeOf<components['schemas']['UserResponseSchema']>();
  });
});

describe('request bodies are closed', () => {
  it('a typo in a users.update body does not compile (it would switch the scope to update:users)', () => {
    // @ts-expect-error appMetadata is not a property of the body (app_metadata is)
    void mgmt.users.update({ id: 'x' }, { appMetadata: { plan: 'pro' } });
    // @ts-expect-error no index signature left on the body type
    void mgmt.users.update({ id: 'x' }, { app_metadata: {}, nickname: 'n', nope: 1 });
    void mgmt.users.update({ id: 'x' }, { app_metadata: { plan: 'pro', any: { nested: true } } });
    expectTypeOf<UsersUpdateBody>().not.toHaveProperty('appMetadata');
    // @ts-expect-error roles.create's body was already closed in the document
    void mgmt.roles.create({ name: 'r', nam: 'typo' });
  });
});

describe('named, importable types', () => {
  it('params, body and result of every operation by name; short aliases for common resources', () => {
    expectTypeOf<UsersListParams['per_page']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<UsersUpdateParams>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<User>().toEqualTypeOf<UsersGetResult>();
    expectTypeOf(mgmt.users.get({ id: 'x' })).toEqualTypeOf<Promise<User>>();
    expectTypeOf(mgmt.roles.get({ id: 'x' })).toEqualTypeOf<Promise<Role>>();
    expectTypeOf(mgmt.clients.get({ id: 'x' })).toEqualTypeOf<Promise<Client>>();
    expectTypeOf(mgmt.connections.get({ id: 'x' })).toEqualTypeOf<Promise<Connection>>();
    expectTypeOf(mgmt.organizations.get({ id: 'x' })).toEqualTypeOf<Promise<Organization>>();
    expectTypeOf<ResultOf<'users.get'>>().toEqualTypeOf<User>();
  });

  it('namespaces are named interfaces', () => {
    expectTypeOf(mgmt.users).toEqualTypeOf<UsersApi>();
    expectTypeOf(mgmt.users.roles).toEqualTypeOf<UsersRolesApi>();
  });
});

describe('scopes are the generated union', () => {
  it('per operation and in the table', () => {
    expectTypeOf<ScopesOf<'users.update'>>().toEqualTypeOf<'update:users' | 'update:users_app_metadata' | 'update:current_user_metadata'>();
    expectTypeOf<ScopesOf<'users.list'>>().toEqualTypeOf<'read:users' | 'read:user_idp_tokens'>();
    expectTypeOf<OperationDef['scopes'][number]>().toEqualTypeOf<Scope>();
    expectTypeOf<OperationDef['anyOf'][number][number]>().toEqualTypeOf<Scope>();
  });
});

describe('every option accepts undefined (exactOptionalPropertyTypes)', () => {
  it('call, pagination and client options, and parameters', () => {
    void mgmt.users.get({ id: 'x' }, undefined, { signal: undefined, timeout: undefined });
    void mgmt.users.list({ q: maybe, per_page: undefined, include_totals: undefined });
    const options: PaginateOptions = { mode: undefined, truncate: undefined, offsetLimit: undefined, maxPages: undefined, signal: undefined };
    void mgmt.users.list.all({ q: maybe }, options);
    void mgmt.request('GET /api/v2/users/{id}', { params: { id: 'x', fields: maybe }, raw: undefined, scopes: undefined });
    expectTypeOf<{ domain: string | undefined; audience: undefined; timeout: undefined; allowScopes: undefined }>().toExtend<Partial<ManagementClientOptions>>();
  });
});

describe('offset list parameters are still checked exactly', () => {
  it('unknown and mistyped parameters do not compile', () => {
    // @ts-expect-error unknown parameter
    void mgmt.users.list({ q: 'x', perPage: 10 });
    // @ts-expect-error per_page is a number
    void mgmt.users.list({ per_page: '10' });
    // @ts-expect-error unknown parameter next to include_totals
    void mgmt.users.list({ include_totals: true, nope: 1 });
  });
});
