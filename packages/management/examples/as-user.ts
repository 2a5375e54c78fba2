import type { ManagementClient } from '@scopebound/management';

/** With a user's own access token (scope update:current_user_metadata), nothing is minted. */
export async function saveTheme(mgmt: ManagementClient, userAccessToken: string, userId: string) {
  const me = mgmt.asUser(userAccessToken);
  return me.users.update({ id: userId }, { user_metadata: { theme: 'dark' } });
}
