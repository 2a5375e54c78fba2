/** `allowScopes('read:users', …)`: within this route `req.auth0` may use only these scopes. */
import { validateAllowList } from '@scopebound/management/adapter';
import { restrict } from '@scopebound/management/adapter';
import { guardAsyncHandlers } from './async-handlers';
import type { NextLike } from './request-like';

export interface AllowScopesMiddleware {
  (req: object, res: unknown, next: NextLike): void;
  /** The validated, sorted allow-list. */
  readonly scopes: readonly string[];
}

/**
 * Route middleware. A call needing a scope outside the list fails with `ScopeNotAllowedError` before any
 * network traffic. Nested uses (router, then route) narrow to their intersection. On Express 4 the route's
 * later `async` handlers are made safe: a rejection becomes `next(err)` instead of an unhandled rejection.
 */
export function allowScopes(...scopes: (string | readonly string[])[]): AllowScopesMiddleware {
  const list = validateAllowList(scopes);
  const middleware = function allowScopesMiddleware(req: object, _res: unknown, next: NextLike): void {
    restrict(req, list);
    guardAsyncHandlers(req, middleware);
    next();
  } as AllowScopesMiddleware;
  Object.defineProperty(middleware, 'scopes', { value: list, enumerable: true });
  return middleware;
}
