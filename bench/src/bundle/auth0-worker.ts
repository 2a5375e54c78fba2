// The same Worker handler on the official SDK's ManagementClient.
import { ManagementClient } from 'auth0';

interface Env { AUTH0_DOMAIN: string; AUTH0_CLIENT_ID: string; AUTH0_CLIENT_SECRET: string }

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const mgmt = new ManagementClient({ domain: env.AUTH0_DOMAIN, clientId: env.AUTH0_CLIENT_ID, clientSecret: env.AUTH0_CLIENT_SECRET });
    return Response.json(await mgmt.users.get(new URL(request.url).searchParams.get('id') ?? ''));
  },
};
