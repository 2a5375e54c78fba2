import { expectTypeOf, test } from 'vitest';
import type { Request } from 'express';
import type { ManagementClient } from '@scopebound/management';
import { allowScopes, scopebound, scopeboundErrorHandler, type Auth0View } from '../src/index';
import express from 'express';

test('Express Request carries auth0', () => {
  expectTypeOf<Request['auth0']>().toEqualTypeOf<Auth0View>();
  expectTypeOf<Auth0View['asUser']>().toBeCallableWith();
  expectTypeOf<Auth0View['asUser']>().toBeCallableWith('token');
  expectTypeOf<ReturnType<Auth0View['users']['list']>>().toEqualTypeOf<ReturnType<ManagementClient['users']['list']>>();
});

test('the middlewares fit app.use / app.get of Express 5', () => {
  const app = express();
  app.use(scopebound({ domain: 'a.auth0.com', credentials: {} }));
  app.get('/x', allowScopes('read:users'), (req, res) => {
    expectTypeOf(req.auth0.users.get).toBeFunction();
    res.end();
  });
  app.use(scopeboundErrorHandler());
});
