/**
 * Clients and views (`withScopes`, `asUser`): a proxy whose implementation is built on first use, so
 * constructing one (and a view per request in the adapters) runs and compiles next to nothing. Every view
 * shares its client's core; each has its own allow-list, principal and scope decisions.
 */
import type { ManagementClient } from './client';
import { tableName } from './client-table';
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
  const explicit = scopes === undefined ? undefined : validateScopesList('scopes', scopes, shared.core.unknownScopes);
  const { method, rel, op } = resolveRoute(shared.index(), route);
  const compiled = op ? shared.compiled(op) : compileRoute(method, rel);
  return execute(shared.core, planCall(view, compiled, params, body, explicit), { signal, timeout }, raw === true);
}

function scopesFor(view: View, name: string, input: ScopesForInput = {}): ScopeDecision {
  const index = view.shared.index();
  const op = index.byName.get(name) ?? (ROUTE_RE.test(name) ? resolveRoute(index, name).op : undefined);
  if (!op) throw new InvalidRequestError(`Unknown operation ${JSON.stringify(name)} in ${tableName(view.shared.table)}; use a name such as 'users.update' or a route such as 'PATCH /api/v2/users/{id}'.`);
  return describeDecision(view, op, input);
}

function withScopes(view: View, scopes: readonly string[]): ManagementClient {
  const { state } = view;
  const list = validateScopesList('withScopes', scopes, view.shared.core.unknownScopes);
  const narrowed = state.allow ? list.filter((s) => state.allow?.has(s)) : list;
  return makeView(view.shared, { ...state, allow: new Set(narrowed), allowList: narrowed });
}

function asUser(view: View, userAccessToken: string): ManagementClient {
  if (typeof userAccessToken !== 'string' || userAccessToken === '' || /\s/.test(userAccessToken)) {
    throw new InvalidRequestError('asUser(token) needs the user access token as a non-empty string without whitespace.');
  }
  return makeView(view.shared, { ...view.state, userToken: userAccessToken });
}

/** A view whose calls are recorded for usage under `label` (an adapter passes the app's route). */
function withLabel(view: View, self: ManagementClient, label: string): ManagementClient {
  if (typeof label !== 'string' || label.length > 200) throw new InvalidRequestError('withLabel(label) takes a string of at most 200 characters, e.g. "PATCH /plans/:id".');
  // Without a usage recorder a label changes nothing: the same view serves (no allocation per request).
  if (view.shared.core.usage === undefined || label === view.state.label) return self;
  return makeView(view.shared, { ...view.state, label });
}

interface ViewImpl {
  readonly methods: Record<string | symbol, unknown>;
  readonly namespaces: Map<string, unknown>;
  readonly view: View;
}

function viewImpl(shared: Shared, state: ViewState, self: ManagementClient): ViewImpl {
  const view = createView(shared, state);
  const methods: Record<string | symbol, unknown> = {
    request: (route: string, init?: RequestInit & { raw?: boolean }) => request(view, route, init),
    scopesFor: (name: string, input?: ScopesForInput) => scopesFor(view, name, input),
    withScopes: (scopes: readonly string[]) => withScopes(view, scopes),
    asUser: (token: string) => asUser(view, token),
    withLabel: (label: string) => withLabel(view, self, label),
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
  // eslint-disable-next-line prefer-const -- the proxy is created below and read lazily by its own traps
  let self: ManagementClient;
  const get = () => (impl ??= viewImpl(shared, state, self));
  // util.inspect looks at the proxy's target, not through the traps: the target carries only that.
  const target: Record<string | symbol, unknown> = { [INSPECT]: () => describeView({ shared, state }) };
  self = new Proxy(target, {
    get: (_target, prop) => getProp(get(), prop),
    has: (_target, prop) => hasProp(get(), prop),
    ownKeys: () => Reflect.ownKeys(get().methods),
    getOwnPropertyDescriptor: (_target, prop) => Reflect.getOwnPropertyDescriptor(get().methods, prop),
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  }) as unknown as ManagementClient;
  return self;
}
