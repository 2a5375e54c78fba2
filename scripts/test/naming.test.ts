import { describe, expect, it } from 'vitest';
import { camel, nameFromExtensions, nameFromPath, resolveNameClashes } from '../lib/naming';

describe('naming rule', () => {
  it.each([
    ['GET', '/users', 'users.list'],
    ['POST', '/users', 'users.create'],
    ['GET', '/users/{id}', 'users.get'],
    ['PATCH', '/users/{id}', 'users.update'],
    ['PUT', '/users/{id}', 'users.update'],
    ['DELETE', '/users/{id}', 'users.delete'],
    ['GET', '/users/{id}/roles', 'users.roles.list'],
    ['DELETE', '/organizations/{id}/members', 'organizations.members.delete'],
    ['GET', '/client-grants', 'clientGrants.list'],
    ['POST', '/actions/actions/{id}/deploy', 'actions.actions.deploy'],
    ['GET', '/prompts/{prompt}/custom-text/{language}', 'prompts.customText.get'],
  ])('%s %s → %s', (method, path, name) => {
    expect(nameFromPath(method, path)).toBe(name);
  });

  it('uses the document extensions when present', () => {
    expect(nameFromExtensions(['organizations', 'members'], 'list')).toBe('organizations.members.list');
    expect(nameFromExtensions('users', 'listUsersByEmail')).toBe('users.listUsersByEmail');
    expect(nameFromExtensions(undefined, 'list')).toBeUndefined();
    expect(nameFromExtensions(['users'], '')).toBeUndefined();
  });

  it('camelCases segments', () => {
    expect(camel('client-grants')).toBe('clientGrants');
    expect(camel('enabled_connections')).toBe('enabledConnections');
    expect(camel('2fa')).toBe('_2fa');
  });

  it('keeps names unique and never lets a method shadow a namespace', () => {
    const warnings: string[] = [];
    const names = resolveNameClashes(
      [
        { key: 'GET /a', name: 'users.logs' },
        { key: 'GET /b', name: 'users.logs.list' },
        { key: 'GET /c', name: 'users.get' },
        { key: 'GET /d', name: 'users.get' },
      ],
      (w) => warnings.push(w),
    );
    expect([...names.values()]).toEqual(['users.logs.call', 'users.logs.list', 'users.get', 'users.get2']);
    expect(warnings).toHaveLength(2);
  });
});
