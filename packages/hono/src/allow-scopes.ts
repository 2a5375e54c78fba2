/** `allowScopes('read:users', …)`: Hono middleware; within its routes `c.var.auth0` may use only these scopes. */
import { restrict, validateAllowList } from '@scopebound/management/adapter';
import type { MiddlewareHandler } from 'hono';

export interface AllowScopesMiddleware extends MiddlewareHandler {
  /** The validated, sorted allow-list. */
  readonly scopes: readonly string[];
}

/**
 * For a route (`app.get(path, allowScopes('read:users'), handler)`) or a path (`app.use('/admin/*', allowScopes(...))`).
 * Nested uses narrow to their intersection; a call outside it fails with `ScopeNotAllowedError` before any traffic.
 */
export function allowScopes(...scopes: (string | readonly string[])[]): AllowScopesMiddleware {
  const list = validateAllowList(scopes);
  const middleware = async function allowScopesMiddleware(c: object, next: () => Promise<void>): Promise<void> {
    restrict(c, list);
    await next();
  } as AllowScopesMiddleware;
  Object.defineProperty(middleware, 'scopes', { value: list, enumerable: true });
  return middleware;
}
