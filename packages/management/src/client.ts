/**
 * createManagementClient: a cheap constructor, resource namespaces built lazily from the generated table,
 * views (`withScopes`, `asUser`) sharing one transport, token source and rate-limit state.
 */
import { createTokenProvider, type AccessToken, type TokenSource } from '@scopebound/token';
import { ClientClosedError, InvalidRequestError, ScopeNotAllowedError } from './errors';
import { buildQuery, fillPath, placeholders } from './encode';
import { defaultSleep, execute, type Core, type Plan } from './execute';
import { operations, type OperationDef, type OperationName, type ScopeRule } from './generated/operations';
import { resolveOrigin, resolveRetry, validateCommon, validateScopesList, type ManagementClientOptions } from './options';
import { items, pages } from './pagination';
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

interface Shared {
  readonly core: Core;
  index(): TableIndex;
  close(): Promise<void>;
}

const API = '/api/v2';
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

export function createManagementClient(options: ManagementClientOptions): ManagementClient {
  validateCommon(options);
  const { origin, basePath } = resolveOrigin(options);
  const retry = resolveRetry(options.retry);
  const allowList = options.allowScopes === undefined ? undefined : validateScopesList('allowScopes', options.allowScopes);

  let tokens: TokenSource;
  let ownedProvider: { close?: () => unknown } | undefined;
  if (options.tokens) {
    tokens = options.tokens;
  } else {
    const provider = createTokenProvider({
      ...(options.domain !== undefined ? { domain: options.domain } : { baseUrl: origin + basePath }),
      ...(options.audience !== undefined ? { audience: options.audience } : {}),
      ...(options.fetch ? { fetch: options.fetch as typeof globalThis.fetch } : {}),
      credentials: options.credentials as Parameters<typeof createTokenProvider>[0]['credentials'],
    });
    tokens = provider;
    ownedProvider = provider as { close?: () => unknown };
  }

  const onEvent = options.onEvent;
  const core: Core = {
    origin,
    apiPrefix: basePath + API,
    transport: options.fetch ? fetchTransport(options.fetch as FetchLike) : undiciTransport(options.transport),
    tokens,
    retry,
    timeout: options.timeout ?? 30_000,
    maxBytes: options.maxResponseBytes ?? 10 * 1024 * 1024,
    clock: options.clock ?? Date.now,
    sleep: options.sleep ?? defaultSleep,
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
    pausedUntil: 0,
    closed: false,
  };

  let index: TableIndex | undefined;
  let closing: Promise<void> | undefined;
  const shared: Shared = {
    core,
    index: () => (index ??= buildIndex()),
    close: () =>
      (closing ??= (async () => {
        core.closed = true;
        await core.transport.close();
        await ownedProvider?.close?.();
      })()),
  };
  return makeView(shared, { allow: allowList ? new Set(allowList) : undefined, allowList, userToken: undefined });
}

function makeView(shared: Shared, state: ViewState): ManagementClient {
  const { core } = shared;
  const principal = state.userToken ? 'user' : 'server';
  const eligibleCache = new Map<OperationDef, Alternatives>();
  const namespaces = new Map<string, unknown>();

  const decide = (op: OperationDef | undefined, alternatives: Alternatives, cacheable: boolean): Alternatives => {
    if (cacheable && op) {
      const hit = eligibleCache.get(op);
      if (hit) return hit;
    }
    const eligible = eligibleAlternatives(alternatives, { ...(state.allow ? { allow: state.allow } : {}), principal });
    if (cacheable && op) eligibleCache.set(op, eligible);
    return eligible;
  };

  const planFor = (op: OperationDef, params: Record<string, unknown> | undefined, body: unknown, explicit?: readonly string[]): Plan => {
    const alternatives = explicit ? [explicit] : alternativesFor(op, body);
    const eligible = decide(op, alternatives, !explicit && !op.bodyRules);
    if (alternatives.length > 0 && eligible.length === 0) {
      throw new ScopeNotAllowedError(op.name, alternatives, state.allowList, principal);
    }
    return {
      operation: op.name,
      method: op.method,
      route: API + op.path,
      path: fillPath(op.path, params, op.pathParams) + buildQuery(params, op.pathParams),
      body,
      idempotent: op.idempotent,
      required: eligible[0] ?? [],
      anyOf: eligible,
      userToken: state.userToken,
    };
  };

  const splitArgs = (op: OperationDef, args: unknown[]) => {
    const layout = op.pathParams.length + op.queryParams.length > 0 ? 'params' : op.body !== 'none' ? 'body' : 'none';
    const [params, body, opts] =
      layout === 'params' ? [args[0], args[1], args[2]] : layout === 'body' ? [undefined, args[0], args[1]] : [undefined, undefined, args[0]];
    if (params !== undefined && !isRecord(params)) {
      throw new InvalidRequestError(`${op.name} takes its path and query parameters as an object, e.g. { ${op.pathParams[0] ?? 'name'}: '…' }.`);
    }
    if (body === undefined && op.body === 'required') throw new InvalidRequestError(`${op.name} needs a JSON body.`);
    if (body !== undefined && op.body === 'none') throw new InvalidRequestError(`${op.name} takes no body.`);
    if (opts !== undefined && !isRecord(opts)) throw new InvalidRequestError(`${op.name}: options must be an object such as { signal }.`);
    return { params: params as Record<string, unknown> | undefined, body, options: (opts ?? {}) as CallOptions };
  };

  const callOp = async (op: OperationDef, args: unknown[]): Promise<ApiResponse<unknown>> => {
    if (core.closed) throw new ClientClosedError();
    const { params, body, options } = splitArgs(op, args);
    return execute(core, planFor(op, params, body), options);
  };

  const makeOperation = (op: OperationDef) => {
    const fn = (...args: unknown[]) => callOp(op, args).then((r) => r.data);
    Object.defineProperty(fn, 'name', { value: op.name });
    Object.defineProperty(fn, 'operation', { value: op, enumerable: true });
    Object.defineProperty(fn, 'withResponse', { value: (...args: unknown[]) => callOp(op, args), enumerable: true });
    if (op.pagination !== 'none') {
      const fetchPage = (options: PaginateOptions) => (query: Record<string, unknown>) =>
        execute(core, planFor(op, query, undefined), { signal: options.signal, timeout: options.timeout }).then((r) => r.data);
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
    const eligible = decide(undefined, alternatives, false);
    if (eligible.length === 0) throw new ScopeNotAllowedError(`${method} ${API}${rel}`, alternatives, state.allowList, principal);
    const names = placeholders(rel);
    return {
      operation: undefined,
      method,
      route: API + rel,
      path: fillPath(rel, params, names) + buildQuery(params, names),
      body,
      idempotent: method === 'GET' || method === 'PUT' || method === 'DELETE',
      required: eligible[0] ?? [],
      anyOf: eligible,
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
      plan = planFor(op, params, body, explicit);
    } else {
      if (!explicit) {
        throw new InvalidRequestError(`${method} ${API}${rel} is not in the operation table; pass \`scopes\` with the scopes it needs.`);
      }
      plan = adHocPlan(method, rel, params, body, explicit);
    }
    const res = await execute(core, plan, { signal, timeout });
    return raw ? res : res.data;
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
    await execute(core, planFor(op, undefined, aud === undefined ? { jti } : { aud, jti }), {});
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
    [Symbol.for('nodejs.util.inspect.custom')]: () =>
      `ManagementClient { origin: '${core.origin}', principal: '${principal}', allowScopes: ${state.allowList ? `[${state.allowList.join(', ')}]` : 'any'} }`,
  };

  return new Proxy(methods, {
    get(target, prop) {
      if (Object.hasOwn(target, prop)) return target[prop];
      if (typeof prop !== 'string') return undefined;
      const cached = namespaces.get(prop);
      if (cached) return cached;
      const node = shared.index().root.children.get(prop);
      if (!node) return undefined;
      const ns = makeNamespace(node);
      namespaces.set(prop, ns);
      return ns;
    },
    has(target, prop) {
      return Object.hasOwn(target, prop) || (typeof prop === 'string' && shared.index().root.children.has(prop));
    },
    set() {
      return false;
    },
  }) as unknown as ManagementClient;
}
