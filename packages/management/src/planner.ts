/**
 * One planner for every call. A table operation (once per client) and an ad-hoc route outside the table
 * (per call) compile to the same `Compiled` shape; a call's input then becomes a `Plan` (encoded path and
 * query, body, the view's scope need) in one place, whichever way the call came in.
 */
import type { ScopeNeed } from '@scopebound/token';
import { API } from './core';
import { buildQuery, compilePath, fillCompiled, placeholders } from './encode';
import { InvalidRequestError, ScopeNotAllowedError, type RequestInfo } from './errors';
import type { OperationDef } from './generated/operations';
import { decide } from './scope-decisions';
import { alternativesFor } from './scope-resolution';
import type { View } from './shared';
import type { TableIndex } from './table-index';

/** What never changes for an operation (or an ad-hoc route). */
export interface OpStatic {
  readonly operation: string | undefined;
  readonly method: string;
  /** Route template with the API prefix, e.g. /api/v2/users/{id}. */
  readonly route: string;
  readonly idempotent: boolean;
  readonly info: RequestInfo;
}

/** One call, ready to send. */
export interface Plan {
  readonly op: OpStatic;
  /** Encoded path + query (without the API prefix). */
  readonly path: string;
  /** The JSON body, serialised once per call (undefined: no body). */
  readonly bodyText: string | undefined;
  /** What the server token must cover (compiled once per scope decision); undefined with a user's token. */
  readonly need: ScopeNeed | undefined;
  /** A user's token: sent as is, never minted or invalidated. */
  readonly userToken: string | undefined;
}

export interface ExecOptions {
  signal?: AbortSignal | undefined;
  timeout?: number | undefined;
}

export interface Compiled {
  /** The table entry; undefined for an ad-hoc route. */
  readonly op: OperationDef | undefined;
  /** How errors name the call: `users.get`, or `GET /api/v2/brand-new`. */
  readonly name: string;
  readonly static: OpStatic;
  /** How the positional arguments map: `(params, body?, options?)`, `(body, options?)` or `(options?)`. */
  readonly layout: 'params' | 'body' | 'none';
  /** The path template split into literal and placeholder pieces. */
  readonly pieces: readonly string[];
  /** Path placeholders (left out of the query). */
  readonly pathParams: readonly string[];
}

function compileWith(op: OperationDef | undefined, name: string, method: string, rel: string, pathParams: readonly string[], idempotent: boolean): Compiled {
  const route = API + rel;
  const operation = op?.name;
  const layout = !op ? 'none' : op.pathParams.length + op.queryParams.length > 0 ? 'params' : op.body !== 'none' ? 'body' : 'none';
  return {
    op,
    name,
    static: { operation, method, route, idempotent, info: { method, route, operation } },
    layout,
    pieces: compilePath(rel, pathParams),
    pathParams,
  };
}

export function compileOperation(op: OperationDef): Compiled {
  return compileWith(op, op.name, op.method, op.path, op.pathParams, op.idempotent);
}

/** A route outside the table (`request()` with explicit `scopes`). */
export function compileRoute(method: string, rel: string): Compiled {
  const idempotent = method === 'GET' || method === 'PUT' || method === 'DELETE';
  return compileWith(undefined, `${method} ${API}${rel}`, method, rel, placeholders(rel), idempotent);
}

export const ROUTE_RE = /^(GET|POST|PUT|PATCH|DELETE) (\/\S*)$/;

/** `GET /api/v2/users/{id}` → method, path template without the prefix, and the table entry if any. */
export function resolveRoute(index: TableIndex, route: string): { method: string; rel: string; op: OperationDef | undefined } {
  const m = typeof route === 'string' ? ROUTE_RE.exec(route) : null;
  if (!m) throw new InvalidRequestError(`Route must look like 'GET /api/v2/users/{id}', got ${JSON.stringify(String(route))}.`);
  const method = m[1] as string;
  const full = m[2] as string;
  if (!full.startsWith(`${API}/`)) throw new InvalidRequestError(`Route path must start with ${API}/, got ${JSON.stringify(full)}.`);
  const rel = full.slice(API.length);
  if (/[?#]/.test(rel) || rel.split('/').some((s, i) => i > 0 && (s === '' || s === '.' || s === '..'))) {
    throw new InvalidRequestError(`Route path ${JSON.stringify(full)} must be a template without query, fragment, empty or dot segments; pass query values in params.`);
  }
  return { method, rel, op: index.byRoute.get(`${method} ${rel}`) };
}

/** `JSON.stringify`, with a failure (a cycle, a BigInt) as an InvalidRequestError naming the call. */
function jsonBody(name: string, body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (e) {
    throw new InvalidRequestError(`${name}: the body cannot be sent as JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
}

/**
 * The plan of one call in `view`. `explicit` scopes replace the table's rule (and are the only rule of an
 * ad-hoc route); either way the view's allow-list applies, before any token or network traffic.
 */
export function planCall(view: View, c: Compiled, params: Record<string, unknown> | undefined, body: unknown, explicit?: readonly string[]): Plan {
  const alternatives = explicit ? [explicit] : alternativesFor(c.op as OperationDef, body);
  const { eligible, need } = decide(view, alternatives, explicit !== undefined);
  if (alternatives.length > 0 && eligible.length === 0) {
    throw new ScopeNotAllowedError(c.name, alternatives, view.state.allowList, view.principal);
  }
  return {
    op: c.static,
    path: fillCompiled(c.pieces, params) + buildQuery(params, c.pathParams),
    bodyText: body === undefined ? undefined : jsonBody(c.name, body),
    need,
    userToken: view.state.userToken,
  };
}
