/**
 * The Worker: a Hono app whose one write route changes a user's plan in app_metadata, allowed exactly
 * `update:users_app_metadata`, so the token it mints carries that scope alone (on a narrowing tenant). The
 * client is built once per isolate from the bindings, so tokens are cached across requests.
 */
import { Hono } from 'hono';
import { createManagementClient, type ManagementClient } from '@scopebound/management';
import { clientSecret, createTokenProvider, type TokenEvent } from '@scopebound/token';
import { allowScopes, scopebound, scopeboundErrorHandler, type ScopeboundEnv, type ScopeboundMiddleware } from '@scopebound/hono';

export interface Bindings {
  /** The tenant (`example.eu.auth0.com`), or AUTH0_BASE_URL + AUTH0_AUDIENCE for the emulator. */
  AUTH0_DOMAIN?: string;
  AUTH0_BASE_URL?: string;
  AUTH0_AUDIENCE?: string;
  AUTH0_CLIENT_ID: string;
  AUTH0_CLIENT_SECRET: string;
}

type Env = ScopeboundEnv & { Bindings: Bindings };

/** The scopes of the last token this isolate minted: shown in the response, so you can see how narrow it was. */
let lastMint: { requested: readonly string[]; granted: readonly string[] } | undefined;
let middleware: ScopeboundMiddleware | undefined;

function clientFor(env: Bindings): ManagementClient {
  const where = env.AUTH0_BASE_URL ? { baseUrl: env.AUTH0_BASE_URL, audience: env.AUTH0_AUDIENCE } : { domain: env.AUTH0_DOMAIN };
  const tokens = createTokenProvider({
    ...where,
    credentials: clientSecret({ clientId: env.AUTH0_CLIENT_ID, clientSecret: env.AUTH0_CLIENT_SECRET }),
    onEvent: (e: TokenEvent) => {
      if (e.type === 'mint') lastMint = { requested: e.requested, granted: e.scopes };
    },
  });
  return createManagementClient({ ...where, tokens });
}

export const app = new Hono<Env>();
app.onError(scopeboundErrorHandler());
app.use((c, next) => (middleware ??= scopebound(clientFor(c.env)))(c, next));

app.patch('/users/:id/plan', allowScopes('update:users_app_metadata'), async (c) => {
  const { plan } = await c.req.json<{ plan: string }>();
  const user = await c.var.auth0.users.update({ id: c.req.param('id') }, { app_metadata: { plan } });
  return c.json({ user_id: user.user_id, plan: user.app_metadata?.plan, token: lastMint });
});

export default app;
