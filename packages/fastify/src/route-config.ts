/** Per-route allow-lists from Fastify route config (`config: { allowScopes: [...] }`), validated at registration. */
import { validateAllowList } from '@scopebound/management/adapter';
import type { RouteOptions } from 'fastify';

/** Validated lists by the identity of the array a route declared (Fastify copies `config` shallowly). */
const validated = new WeakMap<object, readonly string[]>();

/** `onRoute` hook: an unknown or malformed scope fails `app.get(...)` itself, not the first request. */
export function validateRouteConfig(route: RouteOptions): void {
  const declared = (route.config as { allowScopes?: unknown } | undefined)?.allowScopes;
  if (declared === undefined) return;
  const list = validateAllowList(Array.isArray(declared) ? declared : [declared]);
  if (typeof declared === 'object' && declared !== null) validated.set(declared, list);
}

/** The validated allow-list of a request's route, if it declared one. */
export function routeAllowList(config: unknown): readonly string[] | undefined {
  const declared = (config as { allowScopes?: unknown } | undefined)?.allowScopes;
  if (declared === undefined) return undefined;
  if (typeof declared === 'object' && declared !== null) {
    const hit = validated.get(declared);
    if (hit) return hit;
  }
  return validateAllowList(Array.isArray(declared) ? declared : [declared]);
}
