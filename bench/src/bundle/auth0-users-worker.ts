// The same Worker handler on the official SDK's smallest documented path: auth0/management auth + auth0/users.
import { createManagementAuth } from 'auth0/management';
import { UsersClient } from 'auth0/users';

interface Env { AUTH0_DOMAIN: string; AUTH0_CLIENT_ID: string; AUTH0_CLIENT_SECRET: string }

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const auth = createManagementAuth({ domain: env.AUTH0_DOMAIN, clientId: env.AUTH0_CLIENT_ID, clientSecret: env.AUTH0_CLIENT_SECRET });
    const users = new UsersClient(auth.clientOptions);
    return Response.json(await users.get(new URL(request.url).searchParams.get('id') ?? ''));
  },
};
