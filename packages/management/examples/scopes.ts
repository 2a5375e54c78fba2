import { ScopeNotAllowedError, type ManagementClient } from '@scopebound/management';

export async function scopesExplained(mgmt: ManagementClient) {
  // The decision, without calling anything:
  const decision = mgmt.scopesFor('users.update', { body: { app_metadata: { plan: 'pro' } } });
  // decision.request  → ['update:users_app_metadata']
  // decision.eligible → [['update:users_app_metadata'], ['update:users']]

  // A view for one route: it may use these scopes and no others.
  const readOnly = mgmt.withScopes(['read:users']);
  await readOnly.users.get({ id: 'auth0|123' });
  try {
    await readOnly.users.delete({ id: 'auth0|123' });
  } catch (err) {
    if (err instanceof ScopeNotAllowedError) {
      // Thrown before any token request or network traffic.
      return { decision, refused: err.operation };
    }
    throw err;
  }
  return { decision, refused: undefined };
}
