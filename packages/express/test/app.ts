/** The test app: the same routes on Express 4 and 5. */
import type { RequestListener } from 'node:http';
import { allowScopes, scopebound, scopeboundErrorHandler, type ErrorHandlerOptions, type ScopeboundOptions } from '../src/index';

type Handler = (req: any, res: any) => Promise<void>;
/** Express 4 does not catch rejected promises: forward them to the error handler. */
const wrap = (fn: Handler) => (req: any, res: any, next: (e?: unknown) => void) => {
  fn(req, res).catch(next);
};

export function buildApp(express: any, options: ScopeboundOptions<any>, errorOptions: ErrorHandlerOptions<any, any> = {}) {
  const app = express();
  const middleware = scopebound(options);
  app.use(middleware);
  app.get('/noop', (_req: any, res: any) => res.json({ ok: true }));
  app.get(
    '/touch',
    allowScopes('read:users'),
    (req: any, res: any) => res.json({ allowed: req.auth0.allowedScopes, hasUsers: typeof req.auth0.users.list === 'function' }),
  );
  app.get('/users', allowScopes('read:users'), wrap(async (req, res) => res.json(await req.auth0.users.list({ per_page: 5 }))));
  app.get('/users/:id', allowScopes('read:users'), wrap(async (req, res) => res.json(await req.auth0.users.get({ id: req.params.id }))));
  app.delete('/users/:id', allowScopes('read:users'), wrap(async (req, res) => res.json(await req.auth0.users.delete({ id: req.params.id }))));
  app.get('/roles', allowScopes('read:roles'), wrap(async (req, res) => res.json(await req.auth0.roles.list())));
  const nested = express.Router();
  nested.use(allowScopes('read:users', 'read:roles'));
  nested.get('/roles', allowScopes('read:roles'), wrap(async (req, res) => res.json({ allowed: req.auth0.allowedScopes, roles: await req.auth0.roles.list() })));
  nested.get('/users-through-roles-route', allowScopes('read:roles'), wrap(async (req, res) => res.json(await req.auth0.users.list())));
  app.use('/nested', nested);
  app.get('/unguarded', wrap(async (req, res) => res.json(await req.auth0.users.list({ per_page: 1 }))));
  app.get(
    '/me',
    allowScopes('read:current_user'),
    wrap(async (req, res) => res.json(await req.auth0.asUser().users.get({ id: String(req.headers['x-user-id']) }))),
  );
  app.use(scopeboundErrorHandler(errorOptions));
  return { app: app as RequestListener, middleware };
}
