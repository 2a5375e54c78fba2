/** `scopebound(options | client)`: Express middleware that gives every request a lazy `req.auth0`. */
import type { ManagementClient } from '@scopebound/management';
import { attachClient, bearerFrom, resolveSettings, type AdapterOptions, type ViewConfig } from '@scopebound/management/adapter';
import type { NextLike, RequestLike } from './request-like';

export type ScopeboundOptions<Req extends RequestLike = RequestLike> = AdapterOptions<Req>;

export interface ScopeboundMiddleware<Req extends RequestLike = RequestLike> {
  (req: Req, res: unknown, next: NextLike): void;
  /** Close the clients this middleware created (one per tenant, or the one built from options). */
  close(): Promise<void>;
  /** Tenant clients currently cached (multi-tenant mode). */
  readonly tenants: number;
}

/** `PATCH /plans/:id`: the matched route (Express sets `req.route` before the handler runs), never the raw URL. */
function routeLabel(req: RequestLike): string | undefined {
  const r = req as RequestLike & { method?: string; baseUrl?: string; route?: { path?: unknown } };
  return typeof r.route?.path === 'string' ? `${r.method ?? ''} ${r.baseUrl ?? ''}${r.route.path}` : undefined;
}

export function scopebound<Req extends RequestLike = RequestLike>(options: ScopeboundOptions<Req> | ManagementClient): ScopeboundMiddleware<Req> {
  const { settings, source } = resolveSettings<Req>(options);
  const custom = settings.userToken;
  const config: ViewConfig<Req> = {
    userToken: custom ?? ((req) => bearerFrom(req.headers.authorization)),
    requireAllowScopes: settings.requireAllowScopes,
    label: routeLabel,
  };
  const middleware = function scopeboundMiddleware(req: Req, _res: unknown, next: NextLike): void {
    let pending: Promise<void> | undefined;
    try {
      pending = attachClient(source, [req], 'auth0', config, req);
    } catch (err) {
      next(err);
      return;
    }
    if (pending) pending.then(() => next(), next);
    else next();
  } as ScopeboundMiddleware<Req>;
  Object.defineProperty(middleware, 'close', { value: () => source.close() });
  Object.defineProperty(middleware, 'tenants', { get: () => source.tenants });
  return middleware;
}
