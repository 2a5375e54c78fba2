// The same Worker handler on Scopebound's per-resource entry: only the users slice of the operation table.
import { createManagementClient } from '@scopebound/management/resources/users';
import { clientSecret } from '@scopebound/token';

interface Env { AUTH0_DOMAIN: string; AUTH0_CLIENT_ID: string; AUTH0_CLIENT_SECRET: string }

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const mgmt = createManagementClient({ domain: env.AUTH0_DOMAIN, credentials: clientSecret({ clientId: env.AUTH0_CLIENT_ID, clientSecret: env.AUTH0_CLIENT_SECRET }) });
    return Response.json(await mgmt.users.get({ id: new URL(request.url).searchParams.get('id') ?? '' }));
  },
};
