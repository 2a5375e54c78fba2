/**
 * The conformance suite's app on Hono 4 (routes /noop, /touch, /users, /roles, /nested/…, /unguarded, /me), with Web
 * APIs only: served on Node by app.ts and run inside workerd by test/runtimes (hono-conformance-worker.ts).
 */
import type { Hono as HonoClass } from 'hono';
import { allowScopes, scopebound, scopeboundErrorHandler, type ErrorHandlerOptions, type ScopeboundEnv, type ScopeboundOptions } from '../src/index';

/** Errors that are not ours: their own status when they carry one (the suite's tenant refusal is a 400). */
const fallback: ErrorHandlerOptions['fallback'] = (err) => new Response(err.message, { status: (err as { status?: number }).status ?? 500 });

export function buildHonoApp(Hono: typeof HonoClass, options: ScopeboundOptions, errorOptions: ErrorHandlerOptions = {}) {
  const app = new Hono<ScopeboundEnv>();
  const middleware = scopebound(options);
  app.onError(scopeboundErrorHandler({ fallback, ...errorOptions }));
  app.use(middleware);
  const users = allowScopes('read:users');
  app.get('/noop', (c) => c.json({ ok: true }));
  app.get('/touch', users, (c) => c.json({ allowed: c.var.auth0.allowedScopes, hasUsers: typeof c.var.auth0.users.list === 'function' }));
  app.get('/users', users, async (c) => c.json(await c.var.auth0.users.list({ per_page: 5 })));
  app.get('/users/:id', users, async (c) => c.json(await c.var.auth0.users.get({ id: c.req.param('id') })));
  app.delete('/users/:id', users, async (c) => c.json(await c.var.auth0.users.delete({ id: c.req.param('id') })));
  app.get('/roles', allowScopes('read:roles'), async (c) => c.json(await c.var.auth0.roles.list()));
  app.use('/nested/*', allowScopes('read:users', 'read:roles'));
  app.get('/nested/roles', allowScopes('read:roles'), async (c) => c.json({ allowed: c.var.auth0.allowedScopes, roles: await c.var.auth0.roles.list() }));
  app.get('/nested/users-through-roles-route', allowScopes('read:roles'), async (c) => c.json(await c.var.auth0.users.list()));
  app.get('/unguarded', async (c) => c.json(await c.var.auth0.users.list({ per_page: 1 })));
  app.get('/me', allowScopes('read:current_user'), async (c) => c.json(await c.var.auth0.asUser().users.get({ id: String(c.req.header('x-user-id')) })));
  return { hono: app, middleware };
}
