import express from 'express';
import { clientSecret } from '@scopebound/token';
import { allowScopes, scopebound, scopeboundErrorHandler } from '@scopebound/express';

interface Tenant {
  domain: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
}

export function createApp(tenants: Record<string, Tenant>): express.Express {
  const app = express();
  app.use(
    scopebound({
      // One client (and token cache) per tenant, at most 50 kept; tokens of one tenant never serve another.
      tenant: (req) => {
        const t = tenants[String(req.headers['x-tenant'])];
        if (!t) throw Object.assign(new Error('Unknown tenant'), { status: 400 });
        return { domain: t.domain, fetch: t.fetch, credentials: clientSecret({ clientId: t.clientId, clientSecret: t.clientSecret }) };
      },
      maxTenants: 50,
    }),
  );
  app.get('/users', allowScopes('read:users'), async (req, res) => {
    res.json(await req.auth0.users.list({ per_page: 10 }));
  });
  app.use(scopeboundErrorHandler());
  return app;
}
