import { describe, expect, it } from 'vitest';
import { breadthOf, narrowestFirst, operations } from '../src/operations';
import { PRIVILEGED_SCOPES } from '../src/generated/operations';

const privileged = new Set(PRIVILEGED_SCOPES);
const byName = (name: string) => operations.find((o) => o.name === name)!;

describe('breadth: how many operations a scope set lets a token call', () => {
  const table = [
    { anyOf: [['a'], ['wide']] },
    { anyOf: [['wide']] },
    { anyOf: [['wide'], ['b', 'c']] },
    { anyOf: [['read:x'], ['write:x']] },
    { anyOf: [['read:x']] },
    { anyOf: [], bodyRules: [{ anyOf: [['write:x']] }] },
  ];

  it('counts every operation an alternative authorises, body rules included', () => {
    expect(breadthOf(['wide'], table)).toBe(3);
    expect(breadthOf(['a'], table)).toBe(1);
    expect(breadthOf(['b', 'c'], table)).toBe(1);
    expect(breadthOf(['b'], table)).toBe(0);
    expect(breadthOf(['write:x'], table)).toBe(2);
    expect(breadthOf([], table)).toBe(0);
  });

  it('orders narrowest first, then fewer scopes, then write before read, then the document order', () => {
    expect(narrowestFirst([['wide'], ['a']], table)).toEqual([['a'], ['wide']]);
    expect(narrowestFirst([['wide'], ['b', 'c'], ['a']], table)).toEqual([['a'], ['b', 'c'], ['wide']]);
    // read:x and write:x both authorise two operations: write goes first on the tie.
    expect(narrowestFirst([['read:x'], ['write:x']], table)).toEqual([['write:x'], ['read:x']]);
    expect(narrowestFirst([['b', 'c'], ['a']], table)).toEqual([['a'], ['b', 'c']]);
  });

  it('puts privileged scopes after plain ones whatever their breadth', () => {
    expect(narrowestFirst([['wide'], ['a']], table, new Set(['a']))).toEqual([['wide'], ['a']]);
  });

  it('never changes its input', () => {
    const input = [['wide'], ['a']];
    narrowestFirst(input, table);
    expect(input).toEqual([['wide'], ['a']]);
  });
});

describe('the generated table lists alternatives narrowest first', () => {
  it('for every operation and every body rule', () => {
    for (const op of operations) {
      expect(op.anyOf, op.name).toEqual(narrowestFirst(op.anyOf, operations, privileged));
      for (const rule of op.bodyRules ?? []) expect(rule.anyOf, op.name).toEqual(narrowestFirst(rule.anyOf, operations, privileged));
    }
  });

  it('asks for create:role_members before update:users to assign roles', () => {
    expect(byName('users.roles.assign').anyOf).toEqual([['create:role_members'], ['update:users']]);
    expect(byName('users.roles.delete').anyOf[0]).toEqual(['delete:role_members']);
    expect(breadthOf(['create:role_members'], operations)).toBeLessThan(breadthOf(['update:users'], operations));
  });

  it('asks for update:users_app_metadata first for an app_metadata-only update', () => {
    expect(byName('users.update').bodyRules![0]!.anyOf).toEqual([['update:users_app_metadata'], ['update:users']]);
  });

  it('never prefers a secret-revealing scope: read:users before read:user_idp_tokens, read:client_summary before read:client_keys', () => {
    const users = byName('users.list').anyOf.filter((a) => !a.some((s) => s.includes('current_user')));
    expect(users[0]).toEqual(['read:users']);
    expect(users.at(-1)).toEqual(['read:user_idp_tokens']);
    const clients = byName('clients.list').anyOf;
    expect(clients.slice(0, 2)).toEqual([['read:client_summary'], ['read:clients']]);
    expect(clients.slice(2).every((a) => a.some((s) => privileged.has(s)))).toBe(true);
  });
});

describe('scopesFor shows the order and why', () => {
  it('reports each eligible alternative with how many operations it authorises', async () => {
    const { createManagementClient } = await import('../src/index');
    const mgmt = createManagementClient({ domain: 'tenant.example.com', tokens: { getToken: async () => ({}) as never, invalidate: async () => {} } });
    const d = mgmt.scopesFor('users.roles.assign');
    expect(d.request).toEqual(['create:role_members']);
    expect(d.breadth.map((b) => b.scopes)).toEqual([['create:role_members'], ['update:users']]);
    expect(d.breadth[0]!.operations).toBeLessThan(d.breadth[1]!.operations);
    expect(mgmt.scopesFor('users.list').breadth.at(-1)).toMatchObject({ scopes: ['read:user_idp_tokens'], privileged: true });
  });
});
