import Fastify, { type FastifyInstance } from 'fastify';
import { clientSecret } from '@scopebound/token';
import { allowScopes, scopebound, scopeboundErrorHandler } from '@scopebound/fastify';

export function createApp(env: { domain: string; clientId: string; clientSecret: string; fetch?: typeof fetch }): FastifyInstance {
  const app = Fastify();
  // request.auth0: a lazy per-request view; nothing is minted until a call is made.
  app.register(
    scopebound({
      domain: env.domain,
      credentials: clientSecret({ clientId: env.clientId, clientSecret: env.clientSecret }),
      fetch: env.fetch, // optional: e.g. the emulator's in-process fetch
    }),
  );
  // Maps Scopebound errors (403, 503 + Retry-After, 404, 502, …); others go on to Fastify's default handler.
  app.setErrorHandler(scopeboundErrorHandler());

  app.register(async (routes) => {
    routes.get('/users', { config: { allowScopes: ['read:users'] } }, (req) => req.auth0.users.list({ per_page: 10 }));
    // Outside the allow-list: refused before any network traffic, answered 403 scope_not_allowed.
    routes.delete<{ Params: { id: string } }>('/users/:id', { config: { allowScopes: ['read:users'] } }, (req) => req.auth0.users.delete({ id: req.params.id }));
  });
  // A hook narrows every route of an encapsulated plugin (nested lists intersect).
  app.register(
    async (admin) => {
      admin.addHook('onRequest', allowScopes('read:roles'));
      admin.get('/roles', (req) => req.auth0.roles.list());
    },
    { prefix: '/admin' },
  );
  return app;
}
