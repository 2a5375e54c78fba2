import { createManagementClient, type ResourceClient } from '@scopebound/management/resources/users';
import { clientSecret } from '@scopebound/token';

// A Worker that only manages users bundles only the users slice of the operation table.
export function connectUsers(env: Record<string, string | undefined>): ResourceClient {
  return createManagementClient({
    ...(env.AUTH0_BASE_URL ? { baseUrl: env.AUTH0_BASE_URL } : { domain: env.AUTH0_DOMAIN }),
    credentials: clientSecret({ clientId: env.AUTH0_CLIENT_ID!, clientSecret: env.AUTH0_CLIENT_SECRET! }),
  });
}

export async function upgrade(users: ResourceClient, id: string): Promise<unknown> {
  // The same decisions as the whole client: update:users_app_metadata alone.
  const user = await users.users.update({ id }, { app_metadata: { plan: 'pro' } });
  return user.app_metadata;
}
