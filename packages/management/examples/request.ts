import type { ManagementClient } from '@scopebound/management';

export async function routes(mgmt: ManagementClient) {
  // Any table operation by route (typed like the method):
  const user = await mgmt.request('GET /api/v2/users/{id}', { params: { id: 'auth0|123' } });
  // A route the table does not know yet: say which scopes it needs.
  const res = await mgmt.request('GET /api/v2/brand-new-feature/{id}', {
    params: { id: 'x1' },
    scopes: ['read:users'],
    raw: true, // { data, status, headers }
  });
  return { user, status: res.status };
}
