/** `allowScopes('read:users', …)`: within this route `ctx.auth0` may use only these scopes (works with @koa/router). */
import { validateAllowList } from '@scopebound/management/adapter';
import { restrict } from '@scopebound/management/adapter';
import type { Next } from './context-like';

export interface AllowScopesMiddleware {
  (ctx: object, next: Next): Promise<unknown>;
  /** The validated, sorted allow-list. */
  readonly scopes: readonly string[];
}

/**
 * Route middleware. A call needing a scope outside the list fails with `ScopeNotAllowedError` before any
 * network traffic. Nested uses (router, then route) narrow to their intersection.
 */
export function allowScopes(...scopes: (string | readonly string[])[]): AllowScopesMiddleware {
  const list = validateAllowList(scopes);
  const middleware = function allowScopesMiddleware(ctx: object, next: Next): Promise<unknown> {
    restrict(ctx, list);
    return next();
  } as AllowScopesMiddleware;
  Object.defineProperty(middleware, 'scopes', { value: list, enumerable: true });
  return middleware;
}
