/** The test app: the same routes on Koa 2 and 3, with @koa/router. */
import type { RequestListener } from 'node:http';
import Router from '@koa/router';
import { allowScopes, scopebound, scopeboundErrors, type ErrorMiddlewareOptions, type ScopeboundOptions } from '../src/index';

export function buildApp(Koa: any, options: ScopeboundOptions<any>, errorOptions: ErrorMiddlewareOptions<any> = {}) {
  const app = new Koa();
  const middleware = scopebound(options);
  app.silent = true;
  app.use(scopeboundErrors(errorOptions));
  app.use(middleware);
  const router = new Router();
  router.get('/noop', (ctx: any) => {
    ctx.body = { ok: true };
  });
  router.get('/touch', allowScopes('read:users'), (ctx: any) => {
    ctx.body = { allowed: ctx.auth0.allowedScopes, hasUsers: typeof ctx.auth0.users.list === 'function', sameInState: ctx.state.auth0 === ctx.auth0 };
  });
  router.get('/users', allowScopes('read:users'), async (ctx: any) => {
    ctx.body = await ctx.auth0.users.list({ per_page: 5 });
  });
  router.get('/users/:id', allowScopes('read:users'), async (ctx: any) => {
    ctx.body = await ctx.auth0.users.get({ id: ctx.params.id });
  });
  router.delete('/users/:id', allowScopes('read:users'), async (ctx: any) => {
    ctx.body = await ctx.auth0.users.delete({ id: ctx.params.id });
  });
  router.get('/roles', allowScopes('read:roles'), async (ctx: any) => {
    // Through ctx.state, as code that only sees the state would.
    ctx.body = await ctx.state.auth0.roles.list();
  });
  const nested = new Router({ prefix: '/nested' });
  nested.use(allowScopes('read:users', 'read:roles'));
  nested.get('/roles', allowScopes('read:roles'), async (ctx: any) => {
    ctx.body = { allowed: ctx.auth0.allowedScopes, roles: await ctx.auth0.roles.list() };
  });
  nested.get('/users-through-roles-route', allowScopes('read:roles'), async (ctx: any) => {
    ctx.body = await ctx.auth0.users.list();
  });
  router.get('/unguarded', async (ctx: any) => {
    ctx.body = await ctx.auth0.users.list({ per_page: 1 });
  });
  router.get('/me', allowScopes('read:current_user'), async (ctx: any) => {
    ctx.body = await ctx.auth0.asUser().users.get({ id: String(ctx.headers['x-user-id']) });
  });
  app.use(router.routes());
  app.use(nested.routes());
  return { app: app.callback() as RequestListener, middleware };
}
