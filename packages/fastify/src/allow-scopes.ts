/** `allowScopes('read:users', …)`: an onRequest/preHandler hook; within its routes `request.auth0` may use only these scopes. */
import { restrict, validateAllowList } from '@scopebound/management/adapter';

export interface AllowScopesHook {
  (request: object, reply: unknown, done: (err?: Error) => void): void;
  /** The validated, sorted allow-list. */
  readonly scopes: readonly string[];
}

/**
 * For a route (`{ onRequest: allowScopes('read:users') }`) or a whole encapsulated plugin
 * (`instance.addHook('onRequest', allowScopes(...))`). Nested uses, and a route's `config.allowScopes`,
 * narrow to their intersection; a call outside it fails with `ScopeNotAllowedError` before any traffic.
 */
export function allowScopes(...scopes: (string | readonly string[])[]): AllowScopesHook {
  const list = validateAllowList(scopes);
  const hook = function allowScopesHook(request: object, _reply: unknown, done: (err?: Error) => void): void {
    restrict(request, list);
    done();
  } as AllowScopesHook;
  Object.defineProperty(hook, 'scopes', { value: list, enumerable: true });
  return hook;
}
