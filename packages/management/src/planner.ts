/**
 * One planner for every call. A table operation (once per client) and an ad-hoc route outside the table
 * (per call) compile to the same `Compiled` shape; a call's input then becomes a `Plan` (encoded path and
 * query, body, the view's scope need) in one place, whichever way the call came in.
 */
import type { ScopeNeed } from '@scopebound/token';
import { API } from './core';
import { buildQuery, compilePath, fillCompiled, placeholders } from './encode';
import { InvalidRequestError, ScopeNotAllowedError, ScopesMismatchError, type RequestInfo } from './errors';
import { tableName, type ClientTable } from './client-table';
import type { OperationDef } from './generated/operations';
import { decide } from './scope-decisions';
import { alternativesFor, type Alternatives } from './scope-resolution';
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
  /** The view's label (an adapter's route), for usage recording. */
  readonly label: string | undefined;
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
 * Least privilege, decided in this one place: the alternatives a call may be authorised by. For a table
 * operation they are its own (for this body); explicit `scopes` can only choose among them (those that the
 * explicit set holds), and a set that authorises none is refused. A route outside the table has exactly
 * its explicit, non-empty scopes. The view's allow-list then applies (`decide`). `fresh`: not a table array.
 */
function callAlternatives(c: Compiled, body: unknown, explicit: readonly string[] | undefined, table: ClientTable): { alternatives: Alternatives; fresh: boolean } {
  if (!c.op) {
    if (!explicit || explicit.length === 0) {
      throw new InvalidRequestError(`${c.name} is not in ${tableName(table)}; pass \`scopes\` with the (non-empty) scopes it needs.`);
    }
    return { alternatives: [explicit], fresh: true };
  }
  const own = alternativesFor(c.op, body);
  if (explicit === undefined || own.length === 0) return { alternatives: own, fresh: false };
  const held = new Set(explicit);
  const chosen = own.filter((alt) => alt.every((s) => held.has(s)));
  if (chosen.length === 0) throw new ScopesMismatchError(c.name, explicit, own);
  return { alternatives: chosen, fresh: true };
}

/**
 * The plan of one call in `view`: its alternatives (`callAlternatives`), narrowed by the view's allow-list,
 * before any token or network traffic.
 */
export function planCall(view: View, c: Compiled, params: Record<string, unknown> | undefined, body: unknown, explicit?: readonly string[]): Plan {
  const { alternatives, fresh } = callAlternatives(c, body, explicit, view.shared.table);
  const { eligible, need } = decide(view, alternatives, fresh);
  if (alternatives.length > 0 && eligible.length === 0) {
    throw new ScopeNotAllowedError(c.name, alternatives, view.state.allowList, view.principal);
  }
  return {
    op: c.static,
    path: fillCompiled(c.pieces, params) + buildQuery(params, c.pathParams),
    bodyText: body === undefined ? undefined : jsonBody(c.name, body),
    need,
    userToken: view.state.userToken,
    label: view.state.label,
  };
}
