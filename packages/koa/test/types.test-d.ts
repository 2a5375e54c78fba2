import { expectTypeOf, test } from 'vitest';
import Koa, { type Context } from 'koa';
import Router from '@koa/router';
import { allowScopes, scopebound, scopeboundErrors, type Auth0View } from '../src/index';

test('Koa context and state carry auth0', () => {
  expectTypeOf<Context['auth0']>().toEqualTypeOf<Auth0View>();
  expectTypeOf<Context['state']['auth0']>().toEqualTypeOf<Auth0View>();
});

test('the middlewares fit app.use and @koa/router', () => {
  const app = new Koa();
  app.use(scopeboundErrors());
  app.use(scopebound({ domain: 'a.auth0.com', credentials: {} }));
  const router = new Router();
  router.get('/x', allowScopes('read:users'), async (ctx) => {
    expectTypeOf(ctx.auth0.users.get).toBeFunction();
  });
  app.use(router.routes());
});
