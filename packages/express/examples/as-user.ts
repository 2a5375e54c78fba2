import express from 'express';
import type { ManagementClient } from '@scopebound/management';
import { allowScopes, scopebound, scopeboundErrorHandler } from '@scopebound/express';

export function createApp(client: ManagementClient): express.Express {
  const app = express();
  app.use(scopebound(client));

  // The user's own access token (Authorization: Bearer …) calls current_user operations; nothing is minted.
  // Without the header: 401 with WWW-Authenticate: Bearer.
  app.get('/me/:id', allowScopes('read:current_user'), async (req, res) => {
    const me = await req.auth0.asUser().users.get({ id: req.params.id });
    res.json({ name: me.name, user_metadata: me.user_metadata });
  });
  app.use(scopeboundErrorHandler());
  return app;
}
