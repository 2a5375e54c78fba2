import express from 'express';
import { clientSecret } from '@scopebound/token';
import { allowScopes, scopebound, scopeboundErrorHandler } from '@scopebound/express';

export function createApp(env: { domain: string; clientId: string; clientSecret: string; fetch?: typeof fetch }): express.Express {
  const app = express();
  app.use(express.json());

  // One shared client for the app; req.auth0 is a lazy per-request view of it (nothing is minted here).
  app.use(
    scopebound({
      domain: env.domain,
      credentials: clientSecret({ clientId: env.clientId, clientSecret: env.clientSecret }),
      fetch: env.fetch, // optional: e.g. the emulator's in-process fetch
    }),
  );

  // This route may only read users: a token for read:users is minted on the first call, then cached.
  app.get('/users', allowScopes('read:users'), async (req, res) => {
    res.json(await req.auth0.users.list({ per_page: 10 }));
  });

  // A body that only touches app_metadata needs update:users_app_metadata, and nothing more.
  app.post('/users/:id/plan', allowScopes('update:users_app_metadata'), async (req, res) => {
    const user = await req.auth0.users.update({ id: req.params.id }, { app_metadata: { plan: req.body.plan } });
    res.json({ user_id: user.user_id, plan: user.app_metadata?.plan });
  });

  // ScopeNotAllowedError → 403, RateLimitError → 503 + Retry-After, 404 → 404, other upstream errors → 502.
  app.use(scopeboundErrorHandler());
  return app;
}
