/** `scopebound(options | client)`: a Fastify 5 plugin that decorates every request with a lazy `request.auth0`. */
import type { ManagementClient } from '@scopebound/management';
import { attachClient, bearerFrom, resolveSettings, restrict, type AdapterOptions, type ViewConfig } from '@scopebound/management/adapter';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { routeAllowList, validateRouteConfig } from './route-config';

export type ScopeboundOptions = AdapterOptions<FastifyRequest>;

export interface ScopeboundPlugin {
  (fastify: FastifyInstance, opts: unknown): Promise<void>;
  /** Close the clients this plugin created (also done on `fastify.close()`). */
  close(): Promise<void>;
  /** Tenant clients currently cached (multi-tenant mode). */
  readonly tenants: number;
}

/** `PATCH /plans/:id`: the route Fastify matched, never the raw URL. */
const routeLabel = (request: FastifyRequest): string | undefined =>
  request.routeOptions.url === undefined ? undefined : `${request.method} ${request.routeOptions.url}`;

/**
 * `app.register(scopebound({ domain, credentials }))`. Not encapsulated (like fastify-plugin): the decorator
 * and hooks apply to every route of the instance it is registered on. Routes declare their allow-list with
 * `config: { allowScopes: [...] }` or an `allowScopes(...)` hook.
 */
export function scopebound(options: ScopeboundOptions | ManagementClient): ScopeboundPlugin {
  const { settings, source } = resolveSettings<FastifyRequest>(options);
  const config: ViewConfig<FastifyRequest> = {
    userToken: settings.userToken ?? ((request) => bearerFrom(request.headers.authorization)),
    requireAllowScopes: settings.requireAllowScopes,
    label: routeLabel,
  };
  const plugin = async function scopeboundPlugin(fastify: FastifyInstance): Promise<void> {
    fastify.decorateRequest('auth0', { getter: () => undefined as never });
    fastify.addHook('onRoute', validateRouteConfig);
    fastify.addHook('onRequest', (request, _reply, done) => {
      const allow = routeAllowList(request.routeOptions.config);
      if (allow) restrict(request, allow);
      let pending: Promise<void> | undefined;
      try {
        pending = attachClient(source, [request], 'auth0', config, request);
      } catch (err) {
        done(err as Error);
        return;
      }
      if (pending) pending.then(() => done(), done);
      else done();
    });
    fastify.addHook('onClose', () => source.close());
  } as unknown as ScopeboundPlugin;
  Object.defineProperty(plugin, Symbol.for('skip-override'), { value: true });
  Object.defineProperty(plugin, Symbol.for('fastify.display-name'), { value: '@scopebound/fastify' });
  Object.defineProperty(plugin, 'close', { value: () => source.close() });
  Object.defineProperty(plugin, 'tenants', { get: () => source.tenants });
  return plugin;
}
