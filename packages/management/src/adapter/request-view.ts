/**
 * The lazy per-request view. Attaching it costs one small state object and a property definition with a
 * shared getter; the `withScopes` view (and its asUser wrapper) is built on first access, and nothing is
 * minted until a call is made.
 */
import type { ManagementClient } from '../client';
import { narrow } from './allow-list';
import { isThenable, type ClientSource } from './client-source';
import { MissingUserTokenError } from './errors';
import type { Auth0View } from './types';

/** Where the per-request state lives on `req` / `ctx` / `ctx.state` (non-enumerable). */
export const STATE: unique symbol = Symbol.for('@scopebound/adapter.request-state') as never;

export interface ViewConfig<Subject> {
  /** The user's bearer token of a request, for `asUser()` without an argument. */
  readonly userToken: (subject: Subject) => string | undefined;
  readonly requireAllowScopes: boolean;
  /** The request's route template (e.g. `PATCH /plans/:id`), the label its calls are recorded under for usage. */
  readonly label?: ((subject: Subject) => string | undefined) | undefined;
}

export interface RequestState {
  client: ManagementClient | undefined;
  /** The route's allow-list (intersection of every `allowScopes` on the way). */
  allow: readonly string[] | undefined;
  config: ViewConfig<unknown> | undefined;
  subject: unknown;
  view: Auth0View | undefined;
  viewClient: ManagementClient | undefined;
  viewAllow: readonly string[] | undefined;
}

type Holder = object & { [STATE]?: RequestState };

export function stateOf(holder: object): RequestState {
  const h = holder as Holder;
  let state = h[STATE];
  if (!state) {
    state = { client: undefined, allow: undefined, config: undefined, subject: undefined, view: undefined, viewClient: undefined, viewAllow: undefined };
    Object.defineProperty(h, STATE, { value: state, configurable: true, enumerable: false, writable: true });
  }
  return state;
}

/** Share one state between holders (Koa: `ctx` and `ctx.state`). */
export function shareState(from: object, to: object): void {
  Object.defineProperty(to, STATE, { value: stateOf(from), configurable: true, enumerable: false, writable: true });
}

/** The getter installed as `auth0` on every holder (`this` is the holder). */
function auth0Getter(this: Holder): Auth0View | undefined {
  const state = this[STATE];
  return state?.client ? viewOf(state) : undefined;
}

/** Give `holder.auth0` (or another name) the lazy view of `client`. */
export function attach<Subject>(holders: readonly object[], property: string, client: ManagementClient, config: ViewConfig<Subject>, subject: Subject): void {
  const state = stateOf(holders[0] as object);
  state.client = client;
  state.config = config as ViewConfig<unknown>;
  state.subject = subject;
  for (let i = 0; i < holders.length; i++) {
    const holder = holders[i] as object;
    if (i > 0) shareState(holders[0] as object, holder);
    Object.defineProperty(holder, property, { get: auth0Getter, configurable: true, enumerable: false });
  }
}

/**
 * Resolve the client of a request from `source` and attach its lazy view to `holders`: undefined when that
 * happened synchronously (one client, a synchronous tenant resolver), else a promise of it. Throws (or
 * rejects) when the tenant resolver refuses the request.
 */
export function attachClient<Subject>(
  source: ClientSource<Subject>,
  holders: readonly object[],
  property: string,
  config: ViewConfig<Subject>,
  subject: Subject,
): Promise<void> | undefined {
  const client = source.resolve(subject);
  if (isThenable(client)) return client.then((c) => attach(holders, property, c, config, subject));
  attach(holders, property, client, config, subject);
  return undefined;
}

/** Record a route's allow-list (narrowing any outer one). Works before or after the client is attached. */
export function restrict(holder: object, scopes: readonly string[]): void {
  const state = stateOf(holder);
  state.allow = narrow(state.allow, scopes);
}

function viewOf(state: RequestState): Auth0View {
  const client = state.client as ManagementClient;
  if (state.view && state.viewClient === client && state.viewAllow === state.allow) return state.view;
  const allowed =
    state.allow !== undefined ? client.withScopes(state.allow) : state.config?.requireAllowScopes ? client.withScopes([]) : client;
  // Labels cost nothing unless the client records usage (then withLabel returns a labelled view).
  const label = state.config?.label?.(state.subject);
  const scoped = label ? allowed.withLabel(label) : allowed;
  const asUser = (userAccessToken?: string): ManagementClient => {
    if (userAccessToken !== undefined) return scoped.asUser(userAccessToken);
    const token = state.config?.userToken(state.subject);
    if (token === undefined) throw new MissingUserTokenError();
    return scoped.asUser(token);
  };
  const view = new Proxy(scoped, {
    get: (target, prop) => (prop === 'asUser' ? asUser : Reflect.get(target, prop)),
  }) as Auth0View;
  state.view = view;
  state.viewClient = client;
  state.viewAllow = state.allow;
  return view;
}
