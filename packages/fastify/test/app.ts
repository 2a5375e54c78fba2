/** The test app of the conformance suite on Fastify 5: route config allow-lists, and a hook on an encapsulated prefix. */
import type { RequestListener } from 'node:http';
import { allowScopes, scopebound, scopeboundErrorHandler, type ErrorHandlerOptions, type ScopeboundOptions } from '../src/index';

export function buildApp(fastify: any, options: ScopeboundOptions, errorOptions: ErrorHandlerOptions = {}) {
  const app = fastify();
  const plugin = scopebound(options);
  app.register(plugin);
  app.setErrorHandler(scopeboundErrorHandler(errorOptions));
  const users = { config: { allowScopes: ['read:users'] } };
  app.register(async (routes: any) => {
    routes.get('/noop', async () => ({ ok: true }));
    routes.get('/touch', users, async (req: any) => ({ allowed: req.auth0.allowedScopes, hasUsers: typeof req.auth0.users.list === 'function' }));
    routes.get('/users', users, async (req: any) => req.auth0.users.list({ per_page: 5 }));
    routes.get('/users/:id', users, async (req: any) => req.auth0.users.get({ id: req.params.id }));
    routes.delete('/users/:id', users, async (req: any) => req.auth0.users.delete({ id: req.params.id }));
    routes.get('/roles', { config: { allowScopes: 'read:roles' } }, async (req: any) => req.auth0.roles.list());
    routes.get('/unguarded', async (req: any) => req.auth0.users.list({ per_page: 1 }));
    routes.get('/me', { onRequest: allowScopes('read:current_user') }, async (req: any) =>
      req.auth0.asUser().users.get({ id: String(req.headers['x-user-id']) }),
    );
  });
  app.register(
    async (nested: any) => {
      nested.addHook('onRequest', allowScopes('read:users', 'read:roles'));
      nested.get('/roles', { config: { allowScopes: ['read:roles'] } }, async (req: any) => ({ allowed: req.auth0.allowedScopes, roles: await req.auth0.roles.list() }));
      nested.get('/users-through-roles-route', { onRequest: allowScopes('read:roles') }, async (req: any) => req.auth0.users.list());
    },
    { prefix: '/nested' },
  );
  const listener: RequestListener = (req, res) => {
    app.ready().then(() => app.server.emit('request', req, res), (err: unknown) => res.writeHead(500).end(String(err)));
  };
  return { app: listener, middleware: plugin, fastify: app };
}
