/**
 * Clients and views (`withScopes`, `asUser`): a proxy whose implementation is built on first use, so
 * constructing one (and a view per request in the adapters) runs and compiles next to nothing. Every view
 * shares its client's core; each has its own allow-list, principal and scope decisions.
 */
import type { ManagementClient } from './client';
import { API } from './core';
import { ClientClosedError, InvalidRequestError } from './errors';
import { execute } from './execute';
import { makeNamespace, isRecord } from './namespaces';
import { validateScopesList } from './options';
import { compileRoute, planCall, resolveRoute, ROUTE_RE } from './planner';
import { revokeToken } from './revocation';
import { describeDecision, type ScopeDecision, type ScopesForInput } from './scope-decisions';
import { createView, type Shared, type View, type ViewState } from './shared';
import type { RequestInit } from './types';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

function describeView(view: { shared: Shared; state: ViewState }): string {
  const { state } = view;
  const principal = state.userToken ? 'user' : 'server';
  return `ManagementClient { origin: '${view.shared.core.origin}', principal: '${principal}', allowScopes: ${state.allowList ? `[${state.allowList.join(', ')}]` : 'any'} }`;
}

/** `request(route, init)`: a table route (typed) or, with explicit `scopes`, a route outside the table. */
async function request(view: View, route: string, init: (RequestInit & { raw?: boolean }) | undefined): Promise<unknown> {
  const { shared } = view;
  if (shared.core.closed) throw new ClientClosedError();
  if (init !== undefined && !isRecord(init)) throw new InvalidRequestError('request(route, init): init must be an object.');
  const { params, body, scopes, raw, signal, timeout } = (init ?? {}) as RequestInit & { raw?: boolean };
  if (params !== undefined && !isRecord(params)) throw new InvalidRequestError('request(): `params` must be an object.');
  const explicit = scopes === undefined ? undefined : validateScopesList('scopes', scopes);
  const { method, rel, op } = resolveRoute(shared.index(), route);
  if (!op && !explicit) {
    throw new InvalidRequestError(`${method} ${API}${rel} is not in the operation table; pass \`scopes\` with the scopes it needs.`);
  }
  const compiled = op ? shared.compiled(op) : compileRoute(method, rel);
  return execute(shared.core, planCall(view, compiled, params, body, explicit), { signal, timeout }, raw === true);
}

function scopesFor(view: View, name: string, input: ScopesForInput = {}): ScopeDecision {
  const index = view.shared.index();
  const op = index.byName.get(name) ?? (ROUTE_RE.test(name) ? resolveRoute(index, name).op : undefined);
  if (!op) throw new InvalidRequestError(`Unknown operation ${JSON.stringify(name)}; use a name such as 'users.update' or a route such as 'PATCH /api/v2/users/{id}'.`);
  return describeDecision(view, op, input);
}

function withScopes(view: View, scopes: readonly string[]): ManagementClient {
  const { state } = view;
  const list = validateScopesList('withScopes', scopes);
  const narrowed = state.allow ? list.filter((s) => state.allow?.has(s)) : list;
  return makeView(view.shared, { allow: new Set(narrowed), allowList: narrowed, userToken: state.userToken });
}

function asUser(view: View, userAccessToken: string): ManagementClient {
  if (typeof userAccessToken !== 'string' || userAccessToken === '' || /\s/.test(userAccessToken)) {
    throw new InvalidRequestError('asUser(token) needs the user access token as a non-empty string without whitespace.');
  }
  return makeView(view.shared, { allow: view.state.allow, allowList: view.state.allowList, userToken: userAccessToken });
}

interface ViewImpl {
  readonly methods: Record<string | symbol, unknown>;
  readonly namespaces: Map<string, unknown>;
  readonly view: View;
}

function viewImpl(shared: Shared, state: ViewState): ViewImpl {
  const view = createView(shared, state);
  const methods: Record<string | symbol, unknown> = {
    request: (route: string, init?: RequestInit & { raw?: boolean }) => request(view, route, init),
    scopesFor: (name: string, input?: ScopesForInput) => scopesFor(view, name, input),
    withScopes: (scopes: readonly string[]) => withScopes(view, scopes),
    asUser: (token: string) => asUser(view, token),
    revokeToken: (token: Parameters<typeof revokeToken>[1]) => revokeToken(view, token),
    close: () => shared.close(),
    allowedScopes: state.allowList,
    [INSPECT]: () => describeView(view),
  };
  return { methods, namespaces: new Map(), view };
}

function getProp(impl: ViewImpl, prop: string | symbol): unknown {
  if (Object.hasOwn(impl.methods, prop)) return impl.methods[prop];
  if (typeof prop !== 'string') return undefined;
  const cached = impl.namespaces.get(prop);
  if (cached) return cached;
  const node = impl.view.shared.index().root.children.get(prop);
  if (!node) return undefined;
  const ns = makeNamespace(impl.view, node);
  impl.namespaces.set(prop, ns);
  return ns;
}

function hasProp(impl: ViewImpl, prop: string | symbol): boolean {
  return Object.hasOwn(impl.methods, prop) || (typeof prop === 'string' && impl.view.shared.index().root.children.has(prop));
}

/** A client or view of `shared` with `state`; nothing is built until a property is read. */
export function makeView(shared: Shared, state: ViewState): ManagementClient {
  let impl: ViewImpl | undefined;
  const get = () => (impl ??= viewImpl(shared, state));
  // util.inspect looks at the proxy's target, not through the traps: the target carries only that.
  const target: Record<string | symbol, unknown> = { [INSPECT]: () => describeView({ shared, state }) };
  return new Proxy(target, {
    get: (_target, prop) => getProp(get(), prop),
    has: (_target, prop) => hasProp(get(), prop),
    ownKeys: () => Reflect.ownKeys(get().methods),
    getOwnPropertyDescriptor: (_target, prop) => Reflect.getOwnPropertyDescriptor(get().methods, prop),
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  }) as unknown as ManagementClient;
}
