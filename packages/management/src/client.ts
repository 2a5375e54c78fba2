/**
 * createManagementClient: a cheap constructor, resource namespaces built lazily from the generated table,
 * views (`withScopes`, `asUser`) sharing one transport, token source and rate-limit state.
 */
import { createTokenProvider, type AccessToken, type TokenSource } from '@scopebound/token';
import { ClientClosedError, InvalidRequestError, ScopeNotAllowedError } from './errors';
import { buildQuery, compilePath, fillCompiled, placeholders } from './encode';
import { defaultSleep, execute, type Core, type OpStatic, type Plan } from './execute';
import { operations, type OperationDef, type OperationName, type ScopeRule } from './generated/operations';
import { resolveOrigin, resolveRetry, validateCommon, validateScopesList, type ManagementClientOptions } from './options';
import { items, pages } from './pagination';
import { createPacer } from './pacer';
import { alternativesFor, eligibleAlternatives, type Alternatives } from './scope-resolution';
import { fetchTransport, undiciTransport, type FetchLike } from './transport';
import type {
  ApiResponse,
  BodyOf,
  CallOptions,
  HttpVerb,
  Namespaces,
  PaginateOptions,
  ParamsOf,
  RequestInit,
  ResultOf,
  Route,
  RouteMap,
} from './types';

/** Which scopes a call would use, and whether this client (or view) may use them. */
export interface ScopeDecision {
  readonly operation: string | undefined;
  readonly method: string;
  /** Route template, e.g. `/api/v2/users/{id}`. */
  readonly route: string;
  readonly rule: ScopeRule | 'explicit';
  /** Every alternative that authorises the call for this body (each a set that must be fully held). */
  readonly alternatives: Alternatives;
  /** The alternatives this client may use, least privileged first. */
  readonly eligible: Alternatives;
  /** The scopes a token is requested for (the first eligible alternative); undefined when none is allowed. */
  readonly request: readonly string[] | undefined;
  readonly allowed: boolean;
  readonly principal: 'server' | 'user';
}

export interface ScopesForInput {
  params?: Record<string, unknown>;
  body?: unknown;
}

export interface RevokedToken {
  readonly jti: string;
  readonly aud: string | undefined;
}

export interface ClientMethods {
  /** Reach any table operation by route, or a route outside the table with explicit `scopes`. */
  request<R extends Route>(
    route: R,
    init?: RequestInit<ParamsOf<RouteMap[R]>, BodyOf<RouteMap[R]>> & { raw?: false },
  ): Promise<ResultOf<RouteMap[R]>>;
  request<R extends Route>(
    route: R,
    init: RequestInit<ParamsOf<RouteMap[R]>, BodyOf<RouteMap[R]>> & { raw: true },
  ): Promise<ApiResponse<ResultOf<RouteMap[R]>>>;
  request<T = unknown>(
    route: `${HttpVerb} /api/v2/${string}`,
    init: RequestInit & { scopes: readonly string[]; raw?: false },
  ): Promise<T>;
  request<T = unknown>(
    route: `${HttpVerb} /api/v2/${string}`,
    init: RequestInit & { scopes: readonly string[]; raw: true },
  ): Promise<ApiResponse<T>>;
  /** The scope decision for an operation (by name or route) and input, without calling anything. */
  scopesFor(operation: OperationName | Route, input?: ScopesForInput): ScopeDecision;
  /** A view that may use only these scopes (intersected with the client's allow-list). */
  withScopes(scopes: readonly string[]): ManagementClient;
  /** A view that calls with a user's access token (current_user operations); nothing is minted. */
  asUser(userAccessToken: string): ManagementClient;
  /** Blacklist a token by its `jti` (legacy endpoint, scope `blacklist:tokens`) and drop it from the token source. */
  revokeToken(token: string | AccessToken): Promise<RevokedToken>;
  /** The allow-list in force (undefined: any server scope). */
  readonly allowedScopes: readonly string[] | undefined;
  /** Release the keep-alive connections (and the token provider built from `credentials`). */
  close(): Promise<void>;
}

/** The client: every resource namespace of the table plus the methods above. */
export type ManagementClient = Namespaces & ClientMethods;

interface NsNode {
  readonly children: Map<string, NsNode>;
  readonly ops: Map<string, OperationDef>;
}

/** Derived from the table on first use, per client (no module-level state). */
interface TableIndex {
  readonly root: NsNode;
  readonly byName: Map<string, OperationDef>;
  readonly byRoute: Map<string, OperationDef>;
}

function buildIndex(): TableIndex {
  const root: NsNode = { children: new Map(), ops: new Map() };
  const byName = new Map<string, OperationDef>();
  const byRoute = new Map<string, OperationDef>();
  for (const op of operations) {
    byName.set(op.name, op);
    byRoute.set(`${op.method} ${op.path}`, op);
    const parts = op.name.split('.');
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const seg = parts[i] as string;
      let child = node.children.get(seg);
      if (!child) {
        child = { children: new Map(), ops: new Map() };
        node.children.set(seg, child);
      }
      node = child;
    }
    node.ops.set(parts[parts.length - 1] as string, op);
  }
  return { root, byName, byRoute };
}

interface ViewState {
  readonly allow: ReadonlySet<string> | undefined;
  readonly allowList: readonly string[] | undefined;
  readonly userToken: string | undefined;
}

/** Per operation, computed once per client on its first call: everything that does not depend on the input. */
interface Compiled {
  readonly op: OperationDef;
  readonly static: OpStatic;
  /** How the positional arguments map: `(params, body?, options?)`, `(body, options?)` or `(options?)`. */
  readonly layout: 'params' | 'body' | 'none';
  /** The path template split into literal and placeholder pieces. */
  readonly pieces: readonly string[];
}

/** A scope decision, cached per view and alternatives list (the table's arrays are stable). */
interface Decision {
  readonly eligible: Alternatives;
  readonly tokenOptions: { readonly anyOf: Alternatives };
}

interface Shared {
  readonly core: Core;
  index(): TableIndex;
  compiled(op: OperationDef): Compiled;
  close(): Promise<void>;
}

function compile(op: OperationDef): Compiled {
  const route = API + op.path;
  return {
    op,
    static: { operation: op.name, method: op.method, route, idempotent: op.idempotent, info: { method: op.method, route, operation: op.name } },
    layout: op.pathParams.length + op.queryParams.length > 0 ? 'params' : op.body !== 'none' ? 'body' : 'none',
    pieces: compilePath(op.path, op.pathParams),
  };
}

const API = '/api/v2';
const NO_OPTIONS: CallOptions = Object.freeze({});
const ROUTE_RE = /^(GET|POST|PUT|PATCH|DELETE) (\/\S*)$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function decodeJwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) throw new InvalidRequestError('revokeToken needs a JWT access token (three dot-separated parts).');
  try {
    const json = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    if (isRecord(json)) return json;
  } catch {
    // fall through
  }
  throw new InvalidRequestError('revokeToken could not decode the token payload; pass the access token exactly as issued.');
}

/** A TokenSource that creates the provider on first use (and forwards to it from then on). */
function lazyProvider(providerOptions: Parameters<typeof createTokenProvider>[0]) {
  let provider: TokenSource | undefined;
  const get = () => (provider ??= createTokenProvider(providerOptions));
  const source: TokenSource = {
    getToken(required, getOptions) {
      try {
        return get().getToken(required, getOptions);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    invalidate(token) {
      try {
        return get().invalidate(token);
      } catch (e) {
        return Promise.reject(e);
      }
    },
  };
  return { source, built: () => provider as { close?: () => unknown } | undefined };
}

export function createManagementClient(options: ManagementClientOptions): ManagementClient {
  validateCommon(options);
  const { origin, basePath } = resolveOrigin(options);
  const retry = resolveRetry(options.retry);
  const allowList = options.allowScopes === undefined ? undefined : validateScopesList('allowScopes', options.allowScopes);

  let tokens: TokenSource;
  let ownedProvider: (() => { close?: () => unknown } | undefined) | undefined;
  if (options.tokens) {
    tokens = options.tokens;
  } else {
    // Built on the first token request: constructing a client stays cheap (a cold provider costs ~1 ms).
    // The credentials were checked up front (validateCommon); the factories validated their own inputs.
    const providerOptions: Parameters<typeof createTokenProvider>[0] = {
      ...(options.domain !== undefined ? { domain: options.domain } : { baseUrl: origin + basePath }),
      ...(options.audience !== undefined ? { audience: options.audience } : {}),
      ...(options.fetch ? { fetch: options.fetch as typeof globalThis.fetch } : {}),
      credentials: options.credentials as Parameters<typeof createTokenProvider>[0]['credentials'],
    };
    const lazy = lazyProvider(providerOptions);
    tokens = lazy.source;
    ownedProvider = lazy.built;
  }

  const onEvent = options.onEvent;
  const maxBytes = options.maxResponseBytes ?? 10 * 1024 * 1024;
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const core: Core = {
    origin,
    apiPrefix: basePath + API,
    transport: options.fetch ? fetchTransport(options.fetch as FetchLike) : undiciTransport(options.transport, maxBytes),
    tokens,
    retry,
    timeout: options.timeout ?? 30_000,
    maxBytes,
    clock,
    sleep,
    emit: onEvent
      ? (event) => {
          try {
            onEvent(event);
          } catch {
            // An observer must never break a call.
          }
        }
      : () => undefined,
    observed: onEvent !== undefined,
    pacer: createPacer({ clock, sleep: (ms) => sleep(ms), enabled: retry.pace }),
    headers: undefined,
    closed: false,
  };

  let index: TableIndex | undefined;
  const compiledOps = new Map<OperationDef, Compiled>();
  let closing: Promise<void> | undefined;
  const shared: Shared = {
    core,
    index: () => (index ??= buildIndex()),
    compiled: (op) => {
      let c = compiledOps.get(op);
      if (!c) {
        c = compile(op);
        compiledOps.set(op, c);
      }
      return c;
    },
    close: () =>
      (closing ??= (async () => {
        core.closed = true;
        await core.transport.close();
        await ownedProvider?.()?.close?.();
      })()),
  };
  return makeView(shared, { allow: allowList ? new Set(allowList) : undefined, allowList, userToken: undefined });
}

function viewImpl(shared: Shared, state: ViewState): ViewImpl {
  const { core } = shared;
  const principal = state.userToken ? 'user' : 'server';
  const decisions = new Map<Alternatives, Decision>();
  const namespaces = new Map<string, unknown>();

  /** The eligible alternatives for this view (cached when `alternatives` is a table array). */
  const decide = (alternatives: Alternatives, cacheable: boolean): Decision => {
    if (cacheable) {
      const hit = decisions.get(alternatives);
      if (hit) return hit;
    }
    const eligible = eligibleAlternatives(alternatives, { ...(state.allow ? { allow: state.allow } : {}), principal });
    const decision: Decision = { eligible, tokenOptions: { anyOf: eligible } };
    if (cacheable) decisions.set(alternatives, decision);
    return decision;
  };

  const planFor = (c: Compiled, params: Record<string, unknown> | undefined, body: unknown, explicit?: readonly string[]): Plan => {
    const { op } = c;
    const alternatives = explicit ? [explicit] : alternativesFor(op, body);
    const { eligible, tokenOptions } = decide(alternatives, !explicit);
    if (alternatives.length > 0 && eligible.length === 0) {
      throw new ScopeNotAllowedError(op.name, alternatives, state.allowList, principal);
    }
    return {
      op: c.static,
      path: fillCompiled(c.pieces, params) + buildQuery(params, op.pathParams),
      body,
      required: eligible[0] ?? [],
      anyOf: eligible,
      tokenOptions,
      userToken: state.userToken,
    };
  };

  /** An operation call: argument checks and the plan synchronously, errors as a rejected promise. */
  const invoke = (c: Compiled, a0: unknown, a1: unknown, a2: unknown, raw: boolean): Promise<unknown> => {
    try {
      if (core.closed) throw new ClientClosedError();
      const { op, layout } = c;
      let params: unknown, body: unknown, opts: unknown;
      if (layout === 'params') {
        params = a0;
        body = a1;
        opts = a2;
      } else if (layout === 'body') {
        body = a0;
        opts = a1;
      } else {
        opts = a0;
      }
      if (params !== undefined && !isRecord(params)) {
        throw new InvalidRequestError(`${op.name} takes its path and query parameters as an object, e.g. { ${op.pathParams[0] ?? 'name'}: '…' }.`);
      }
      if (body === undefined ? op.body === 'required' : op.body === 'none') {
        throw new InvalidRequestError(body === undefined ? `${op.name} needs a JSON body.` : `${op.name} takes no body.`);
      }
      if (opts !== undefined && !isRecord(opts)) throw new InvalidRequestError(`${op.name}: options must be an object such as { signal }.`);
      return execute(core, planFor(c, params as Record<string, unknown> | undefined, body), (opts ?? NO_OPTIONS) as CallOptions, raw);
    } catch (e) {
      return Promise.reject(e);
    }
  };

  const makeOperation = (op: OperationDef) => {
    const c = shared.compiled(op);
    const fn = (a0?: unknown, a1?: unknown, a2?: unknown) => invoke(c, a0, a1, a2, false);
    Object.defineProperty(fn, 'name', { value: op.name });
    Object.defineProperty(fn, 'operation', { value: op, enumerable: true });
    Object.defineProperty(fn, 'withResponse', { value: (a0?: unknown, a1?: unknown, a2?: unknown) => invoke(c, a0, a1, a2, true), enumerable: true });
    if (op.pagination !== 'none') {
      const fetchPage = (options: PaginateOptions) => (query: Record<string, unknown>) =>
        execute(core, planFor(c, query, undefined), { signal: options.signal, timeout: options.timeout }, false);
      const check = (params: unknown, options: unknown): PaginateOptions => {
        if (params !== undefined && !isRecord(params)) throw new InvalidRequestError(`${op.name}.all takes parameters as an object.`);
        if (options !== undefined && !isRecord(options)) throw new InvalidRequestError(`${op.name}.all: options must be an object.`);
        if (core.closed) throw new ClientClosedError();
        return (options ?? {}) as PaginateOptions;
      };
      Object.defineProperty(fn, 'pages', {
        enumerable: true,
        value: (params?: Record<string, unknown>, options?: PaginateOptions) => {
          const o = check(params, options);
          return pages(op, fetchPage(o), params, o, core.emit);
        },
      });
      Object.defineProperty(fn, 'all', {
        enumerable: true,
        value: (params?: Record<string, unknown>, options?: PaginateOptions) => {
          const o = check(params, options);
          return items(op, fetchPage(o), params, o, core.emit);
        },
      });
    }
    return fn;
  };

  const makeNamespace = (node: NsNode): Record<string, unknown> => {
    const ns: Record<string, unknown> = {};
    const lazy = (key: string, build: () => unknown) => {
      Object.defineProperty(ns, key, {
        configurable: true,
        enumerable: true,
        get() {
          const value = build();
          Object.defineProperty(ns, key, { value, enumerable: true, configurable: false, writable: false });
          return value;
        },
      });
    };
    for (const [key, child] of node.children) lazy(key, () => makeNamespace(child));
    for (const [key, op] of node.ops) lazy(key, () => makeOperation(op));
    return ns;
  };

  const resolveRoute = (route: string): { method: string; rel: string; op: OperationDef | undefined } => {
    const m = typeof route === 'string' ? ROUTE_RE.exec(route) : null;
    if (!m) throw new InvalidRequestError(`Route must look like 'GET /api/v2/users/{id}', got ${JSON.stringify(String(route))}.`);
    const method = m[1] as string;
    const full = m[2] as string;
    if (!full.startsWith(`${API}/`)) throw new InvalidRequestError(`Route path must start with ${API}/, got ${JSON.stringify(full)}.`);
    const rel = full.slice(API.length);
    if (/[?#]/.test(rel) || rel.split('/').some((s, i) => i > 0 && (s === '' || s === '.' || s === '..'))) {
      throw new InvalidRequestError(`Route path ${JSON.stringify(full)} must be a template without query, fragment, empty or dot segments; pass query values in params.`);
    }
    return { method, rel, op: shared.index().byRoute.get(`${method} ${rel}`) };
  };

  const adHocPlan = (method: string, rel: string, params: Record<string, unknown> | undefined, body: unknown, scopes: readonly string[]): Plan => {
    const alternatives = [scopes];
    const { eligible, tokenOptions } = decide(alternatives, false);
    if (eligible.length === 0) throw new ScopeNotAllowedError(`${method} ${API}${rel}`, alternatives, state.allowList, principal);
    const names = placeholders(rel);
    const route = API + rel;
    return {
      op: { operation: undefined, method, route, idempotent: method === 'GET' || method === 'PUT' || method === 'DELETE', info: { method, route, operation: undefined } },
      path: fillCompiled(compilePath(rel, names), params) + buildQuery(params, names),
      body,
      required: eligible[0] ?? [],
      anyOf: eligible,
      tokenOptions,
      userToken: state.userToken,
    };
  };

  const request = async (route: string, init: (RequestInit & { raw?: boolean }) | undefined): Promise<unknown> => {
    if (core.closed) throw new ClientClosedError();
    if (init !== undefined && !isRecord(init)) throw new InvalidRequestError('request(route, init): init must be an object.');
    const { params, body, scopes, raw, signal, timeout } = (init ?? {}) as RequestInit & { raw?: boolean };
    if (params !== undefined && !isRecord(params)) throw new InvalidRequestError('request(): `params` must be an object.');
    const explicit = scopes === undefined ? undefined : validateScopesList('scopes', scopes);
    const { method, rel, op } = resolveRoute(route);
    let plan: Plan;
    if (op) {
      plan = planFor(shared.compiled(op), params, body, explicit);
    } else {
      if (!explicit) {
        throw new InvalidRequestError(`${method} ${API}${rel} is not in the operation table; pass \`scopes\` with the scopes it needs.`);
      }
      plan = adHocPlan(method, rel, params, body, explicit);
    }
    return execute(core, plan, { signal, timeout }, raw === true);
  };

  const scopesFor = (name: string, input: ScopesForInput = {}): ScopeDecision => {
    const idx = shared.index();
    const op = idx.byName.get(name) ?? (ROUTE_RE.test(name) ? resolveRoute(name).op : undefined);
    if (!op) throw new InvalidRequestError(`Unknown operation ${JSON.stringify(name)}; use a name such as 'users.update' or a route such as 'PATCH /api/v2/users/{id}'.`);
    const alternatives = alternativesFor(op, input.body);
    const eligible = eligibleAlternatives(alternatives, { ...(state.allow ? { allow: state.allow } : {}), principal });
    return {
      operation: op.name,
      method: op.method,
      route: API + op.path,
      rule: op.rule,
      alternatives,
      eligible,
      request: alternatives.length === 0 ? [] : eligible[0],
      allowed: alternatives.length === 0 || eligible.length > 0,
      principal,
    };
  };

  const withScopes = (scopes: readonly string[]): ManagementClient => {
    const list = validateScopesList('withScopes', scopes);
    const narrowed = state.allow ? list.filter((s) => state.allow?.has(s)) : list;
    return makeView(shared, { allow: new Set(narrowed), allowList: narrowed, userToken: state.userToken });
  };

  const asUser = (userAccessToken: string): ManagementClient => {
    if (typeof userAccessToken !== 'string' || userAccessToken === '' || /\s/.test(userAccessToken)) {
      throw new InvalidRequestError('asUser(token) needs the user access token as a non-empty string without whitespace.');
    }
    return makeView(shared, { allow: state.allow, allowList: state.allowList, userToken: userAccessToken });
  };

  const revokeToken = async (token: string | AccessToken): Promise<RevokedToken> => {
    const value = typeof token === 'string' ? token : token?.value;
    if (typeof value !== 'string' || value === '') throw new InvalidRequestError('revokeToken needs an access token (string or AccessToken).');
    const payload = decodeJwtPayload(value);
    const jti = payload.jti;
    if (typeof jti !== 'string' || jti === '') {
      throw new InvalidRequestError('The token has no `jti` claim, so Auth0 cannot blacklist it; let it expire or rotate the credential instead.');
    }
    const aud = typeof payload.aud === 'string' ? payload.aud : Array.isArray(payload.aud) && typeof payload.aud[0] === 'string' ? payload.aud[0] : undefined;
    const op = shared.index().byName.get('blacklists.add') as OperationDef;
    await execute(core, planFor(shared.compiled(op), undefined, aud === undefined ? { jti } : { aud, jti }), NO_OPTIONS, false);
    if (!state.userToken) await core.tokens.invalidate(token);
    return { jti, aud };
  };

  const methods: Record<string | symbol, unknown> = {
    request,
    scopesFor,
    withScopes,
    asUser,
    revokeToken,
    close: () => shared.close(),
    allowedScopes: state.allowList,
    [INSPECT]: () => describeView(core, state),
  };

  return {
    methods,
    get(prop: string | symbol): unknown {
      if (Object.hasOwn(methods, prop)) return methods[prop];
      if (typeof prop !== 'string') return undefined;
      const cached = namespaces.get(prop);
      if (cached) return cached;
      const node = shared.index().root.children.get(prop);
      if (!node) return undefined;
      const ns = makeNamespace(node);
      namespaces.set(prop, ns);
      return ns;
    },
    has(prop: string | symbol): boolean {
      return Object.hasOwn(methods, prop) || (typeof prop === 'string' && shared.index().root.children.has(prop));
    },
  };
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

function describeView(core: Core, state: ViewState): string {
  const principal = state.userToken ? 'user' : 'server';
  return `ManagementClient { origin: '${core.origin}', principal: '${principal}', allowScopes: ${state.allowList ? `[${state.allowList.join(', ')}]` : 'any'} }`;
}

interface ViewImpl {
  readonly methods: Record<string | symbol, unknown>;
  get(prop: string | symbol): unknown;
  has(prop: string | symbol): boolean;
}

/**
 * A client or view: a proxy whose implementation is built on first use, so constructing one (and a view per
 * request in the adapters) runs and compiles next to nothing.
 */
function makeView(shared: Shared, state: ViewState): ManagementClient {
  let impl: ViewImpl | undefined;
  const get = () => (impl ??= viewImpl(shared, state));
  // util.inspect looks at the proxy's target, not through the traps: the target carries only that.
  const target: Record<string | symbol, unknown> = { [INSPECT]: () => describeView(shared.core, state) };
  return new Proxy(target, {
    get: (_target, prop) => get().get(prop),
    has: (_target, prop) => get().has(prop),
    ownKeys: () => Reflect.ownKeys(get().methods),
    getOwnPropertyDescriptor: (_target, prop) => Reflect.getOwnPropertyDescriptor(get().methods, prop),
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  }) as unknown as ManagementClient;
}
