import { Hono } from 'hono';
import { clientSecret } from '@scopebound/token';
import { allowScopes, scopebound, scopeboundErrorHandler, type ScopeboundEnv } from '@scopebound/hono';

export function createApp(env: { domain: string; clientId: string; clientSecret: string; fetch?: typeof fetch }): Hono<ScopeboundEnv> {
  const app = new Hono<ScopeboundEnv>();
  // Maps Scopebound errors (403, 503 + Retry-After, 404, 502, …); HTTPExceptions keep their own response.
  app.onError(scopeboundErrorHandler());
  // c.var.auth0: a lazy per-request view; nothing is minted until a call is made. (`fetch` is optional: the
  // emulator's in-process fetch here; by default the runtime's own.)
  const credentials = clientSecret({ clientId: env.clientId, clientSecret: env.clientSecret });
  app.use(scopebound({ domain: env.domain, credentials, fetch: env.fetch }));
  app.get('/users', allowScopes('read:users'), async (c) => c.json(await c.var.auth0.users.list({ per_page: 10 })));
  // Outside the allow-list: refused before any network traffic, answered 403 scope_not_allowed.
  app.delete('/users/:id', allowScopes('read:users'), async (c) => c.json(await c.var.auth0.users.delete({ id: c.req.param('id') })));
  // A path-wide allow-list (nested lists intersect).
  app.use('/admin/*', allowScopes('read:roles'));
  app.get('/admin/roles', async (c) => c.json(await c.var.auth0.roles.list()));
  return app;
}
