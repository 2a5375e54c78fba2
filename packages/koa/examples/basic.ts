import Koa from 'koa';
import Router from '@koa/router';
import { clientSecret } from '@scopebound/token';
import { allowScopes, scopebound, scopeboundErrors } from '@scopebound/koa';

export function createApp(env: { domain: string; clientId: string; clientSecret: string; fetch?: typeof fetch }): Koa {
  const app = new Koa();
  // Maps Scopebound errors thrown downstream (403, 503 + Retry-After, 404, 502, …); others are rethrown.
  app.use(scopeboundErrors());
  // ctx.auth0 (and ctx.state.auth0): a lazy per-request view; nothing is minted until a call is made.
  app.use(
    scopebound({
      domain: env.domain,
      credentials: clientSecret({ clientId: env.clientId, clientSecret: env.clientSecret }),
      fetch: env.fetch, // optional: e.g. the emulator's in-process fetch
    }),
  );

  const router = new Router();
  router.get('/users', allowScopes('read:users'), async (ctx) => {
    ctx.body = await ctx.auth0.users.list({ per_page: 10 });
  });
  router.get('/roles', allowScopes('read:roles'), async (ctx) => {
    ctx.body = await ctx.state.auth0.roles.list();
  });
  // Outside the allow-list: refused before any network traffic, answered 403 scope_not_allowed.
  router.delete('/users/:id', allowScopes('read:users'), async (ctx) => {
    ctx.body = await ctx.auth0.users.delete({ id: String(ctx.params.id) });
  });
  app.use(router.routes());
  return app;
}
