/** `scopebound(options | client)`: Hono 4 middleware putting a lazy per-request view on `c.var.auth0`. */
import type { ManagementClient } from '@scopebound/management';
import { attachClient, bearerFrom, resolveSettings, type AdapterOptions, type Auth0View, type ViewConfig } from '@scopebound/management/adapter';
import type { Context, Env, Next } from 'hono';

/** The Env of an app using it: `new Hono<ScopeboundEnv>()` types `c.var.auth0`. */
export type ScopeboundEnv = { Variables: { auth0: Auth0View } };

export type ScopeboundOptions = AdapterOptions<Context>;

/** Middleware for any app whose Env includes `ScopeboundEnv` (its own Bindings and Variables too). */
export interface ScopeboundMiddleware {
  <E extends Env & ScopeboundEnv, P extends string>(c: Context<E, P>, next: Next): Promise<void>;
  /** Close the clients this middleware created (one per tenant, or the one built from options). */
  close(): Promise<void>;
  /** Tenant clients currently cached (multi-tenant mode). */
  readonly tenants: number;
}

/** The core keeps the per-request state on `c`; the view is read through this non-enumerable getter. */
const HOLDER_PROPERTY = '__scopeboundAuth0';

/**
 * What `c.var.auth0` holds: a forwarder to the request's view, so that the view is built on first use and
 * reflects every `allowScopes(...)` met on the way (Hono copies variables by value).
 */
function lazyView(c: Context): Auth0View {
  const current = (): Auth0View => (c as unknown as Record<string, Auth0View>)[HOLDER_PROPERTY] as Auth0View;
  return new Proxy({} as Auth0View, {
    get: (_target, prop) => Reflect.get(current(), prop),
    has: (_target, prop) => Reflect.has(current(), prop),
  });
}

/** `GET /users/:id`: the route Hono matched, never the raw URL. */
const routeLabel = (c: Context): string | undefined => `${c.req.method} ${c.req.routePath}`;

export function scopebound(options: ScopeboundOptions | ManagementClient): ScopeboundMiddleware {
  const { settings, source } = resolveSettings<Context>(options);
  const config: ViewConfig<Context> = {
    userToken: settings.userToken ?? ((c) => bearerFrom(c.req.header('authorization'))),
    requireAllowScopes: settings.requireAllowScopes,
    label: routeLabel,
  };
  const middleware = async function scopeboundMiddleware(c: Context<ScopeboundEnv>, next: Next): Promise<void> {
    const pending = attachClient(source, [c], HOLDER_PROPERTY, config, c as Context);
    if (pending) await pending;
    c.set('auth0', lazyView(c as Context));
    await next();
  } as unknown as ScopeboundMiddleware;
  Object.defineProperty(middleware, 'close', { value: () => source.close() });
  Object.defineProperty(middleware, 'tenants', { get: () => source.tenants });
  return middleware;
}
