/** Test fixture: an emulator over loopback HTTP seeded with users on two connections, with fast jobs, for the export tests. */
import { createEmulator } from '@scopebound/emulator';
import { createManagementClient, type ManagementEvent } from '@scopebound/management';
import { clientSecret } from '@scopebound/token';

export const EXPORT_CLIENT = { clientId: 'export-app', clientSecret: 'export-app-secret-0123' };
export const GITHUB_CONNECTION = 'con_github000000000a';

/** `users` database users (`auth0|exp000i`, `exp{i}@example.com`, plan pro/free by parity) and one GitHub user. */
export async function exportTenant(users = 5) {
  const seeded = Array.from({ length: users }, (_, i) => ({
    user_id: `auth0|exp${String(i).padStart(4, '0')}`,
    email: `exp${i}@example.com`,
    name: i === 0 ? 'Zoë "Zed", Jr.' : `User ${i}`,
    app_metadata: { plan: i % 2 === 0 ? 'pro' : 'free' },
  }));
  const tenant = createEmulator({
    seed: { connections: [{ id: GITHUB_CONNECTION, name: 'github', strategy: 'github' }], users: [...seeded, { user_id: 'github|gh1', email: 'gh@example.com', name: 'Hub', connection: 'github' }] },
    narrowScopes: true,
    clients: [{ ...EXPORT_CLIENT, grants: ['read:users', 'create:users', 'update:users'] }],
  });
  await tenant.admin.setJobTiming({ pendingMs: 40, processingMs: 200 });
  const server = await tenant.listen({ port: 0 });
  return {
    tenant,
    url: server.url,
    seeded,
    env: { AUTH0_BASE_URL: server.url, AUTH0_CLIENT_ID: EXPORT_CLIENT.clientId, AUTH0_CLIENT_SECRET: EXPORT_CLIENT.clientSecret },
    client: (onEvent?: (e: ManagementEvent) => void) =>
      createManagementClient({ baseUrl: server.url, credentials: clientSecret(EXPORT_CLIENT), ...(onEvent ? { onEvent } : {}) }),
    close: () => tenant.close(),
  };
}
