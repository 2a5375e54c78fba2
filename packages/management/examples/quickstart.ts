import { createManagementClient, type ManagementClient } from '@scopebound/management';
import { clientSecret } from '@scopebound/token';

export function connect(env: Record<string, string | undefined> = process.env): ManagementClient {
  return createManagementClient({
    // A real tenant: AUTH0_DOMAIN=example.eu.auth0.com. The emulator: AUTH0_BASE_URL=http://127.0.0.1:4010
    ...(env.AUTH0_BASE_URL ? { baseUrl: env.AUTH0_BASE_URL } : { domain: env.AUTH0_DOMAIN }),
    credentials: clientSecret({ clientId: env.AUTH0_CLIENT_ID!, clientSecret: env.AUTH0_CLIENT_SECRET! }),
  });
}

export async function quickstart(mgmt: ManagementClient): Promise<string | undefined> {
  // Mints (and caches) a token for `read:users` only, then calls GET /api/v2/users/{id}.
  const user = await mgmt.users.get({ id: 'auth0|123' });
  // Needs only `update:users_app_metadata`: the body touches nothing but app_metadata.
  await mgmt.users.update({ id: 'auth0|123' }, { app_metadata: { plan: 'pro' } });
  return user.email ?? undefined;
}
