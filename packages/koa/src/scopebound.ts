/** `scopebound(options | client)`: Koa middleware that gives every request a lazy `ctx.auth0` (and `ctx.state.auth0`). */
import type { ManagementClient } from '@scopebound/management';
import { attachClient, bearerFrom, resolveSettings, type AdapterOptions, type ViewConfig } from '@scopebound/management/adapter';
import type { ContextLike, Next } from './context-like';

export type ScopeboundOptions<Ctx extends ContextLike = ContextLike> = AdapterOptions<Ctx>;

export interface ScopeboundMiddleware<Ctx extends ContextLike = ContextLike> {
  (ctx: Ctx, next: Next): Promise<unknown>;
  /** Close the clients this middleware created (one per tenant, or the one built from options). */
  close(): Promise<void>;
  /** Tenant clients currently cached (multi-tenant mode). */
  readonly tenants: number;
}

/** `PATCH /plans/:id`: the route @koa/router matched, never the raw URL. */
function routeLabel(ctx: ContextLike): string | undefined {
  const c = ctx as ContextLike & { method?: string; _matchedRoute?: unknown };
  return typeof c._matchedRoute === 'string' ? `${c.method ?? ''} ${c._matchedRoute}` : undefined;
}

export function scopebound<Ctx extends ContextLike = ContextLike>(options: ScopeboundOptions<Ctx> | ManagementClient): ScopeboundMiddleware<Ctx> {
  const { settings, source } = resolveSettings<Ctx>(options);
  const config: ViewConfig<Ctx> = {
    userToken: settings.userToken ?? ((ctx) => bearerFrom(ctx.headers.authorization)),
    requireAllowScopes: settings.requireAllowScopes,
    label: routeLabel,
  };
  const middleware = function scopeboundMiddleware(ctx: Ctx, next: Next): Promise<unknown> {
    const pending = attachClient(source, [ctx, ctx.state], 'auth0', config, ctx);
    return pending ? pending.then(() => next()) : next();
  } as ScopeboundMiddleware<Ctx>;
  Object.defineProperty(middleware, 'close', { value: () => source.close() });
  Object.defineProperty(middleware, 'tenants', { get: () => source.tenants });
  return middleware;
}
