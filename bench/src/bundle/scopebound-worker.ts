// Worker handler on Scopebound: users.get with a token for read:users (what the bundle budget measures).
import { createManagementClient } from '@scopebound/management';
import { clientSecret } from '@scopebound/token';

interface Env { AUTH0_DOMAIN: string; AUTH0_CLIENT_ID: string; AUTH0_CLIENT_SECRET: string }

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const mgmt = createManagementClient({ domain: env.AUTH0_DOMAIN, credentials: clientSecret({ clientId: env.AUTH0_CLIENT_ID, clientSecret: env.AUTH0_CLIENT_SECRET }) });
    return Response.json(await mgmt.users.get({ id: new URL(request.url).searchParams.get('id') ?? '' }));
  },
};
