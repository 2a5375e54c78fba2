/** `POST /explorer/api/try`: one Management API call built from the operation table, with the page's token. */
import { STATUS_TEXT } from '../http';
import { alternativesFor, isAuthorized, type OperationDef } from '../table';
import { ExplorerProblem, type Backend } from './backend';

export interface TryInput {
  operation: string;
  params?: Record<string, unknown>;
  body?: unknown;
  token: string;
}

export interface ScopeCheck {
  /** The alternatives the call accepts (body-aware), each a set that must be fully held. */
  readonly alternatives: readonly (readonly string[])[];
  /** The scopes the token carries (its `scope` claim, or the legacy `scopes` object). */
  readonly held: readonly string[];
  readonly satisfied: boolean;
  /** What the closest alternative still needs (empty when satisfied). */
  readonly missing: readonly string[];
}

export interface TryResult {
  readonly request: { readonly method: string; readonly path: string };
  readonly status: number;
  readonly statusText: string;
  readonly headers: readonly (readonly [string, string])[];
  /** Parsed JSON, or the text when it is not JSON (cut at MAX_BODY_CHARS). */
  readonly body: unknown;
  readonly scopeCheck: ScopeCheck;
}

const MAX_BODY_CHARS = 1_000_000;
const SUCCESS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content' };

/** Scopes from a JWT's payload, without verifying it (display only; the API verifies). */
export function scopesOfToken(token: string): string[] {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof payload.scope === 'string') return payload.scope.split(' ').filter(Boolean).sort();
    if (payload.scopes && typeof payload.scopes === 'object') {
      const out: string[] = [];
      for (const [resource, v] of Object.entries(payload.scopes as Record<string, { actions?: unknown }>)) {
        if (Array.isArray(v?.actions)) for (const a of v.actions) if (typeof a === 'string') out.push(`${a}:${resource}`);
      }
      return out.sort();
    }
  } catch {
    // Not a JWT: nothing held.
  }
  return [];
}

export function scopeCheck(op: OperationDef, body: unknown, token: string): ScopeCheck {
  const alternatives = alternativesFor(op, body);
  const held = scopesOfToken(token);
  const have = new Set(held);
  const satisfied = alternatives.length === 0 || isAuthorized(alternatives, have);
  let missing: string[] = [];
  if (!satisfied) {
    const gaps = alternatives.map((alt) => alt.filter((s) => !have.has(s)));
    missing = gaps.reduce((best, gap) => (gap.length < best.length ? gap : best), gaps[0] ?? []);
  }
  return { alternatives, held, satisfied, missing };
}

function stringParam(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ExplorerProblem(400, 'invalid_param', `Parameter "${name}" must be a string, number or boolean.`);
}

export function buildPath(op: OperationDef, params: Record<string, unknown>): string {
  const unknown = Object.keys(params).filter((k) => !op.pathParams.includes(k) && !op.queryParams.includes(k));
  if (unknown.length > 0) throw new ExplorerProblem(400, 'unknown_param', `${op.name} has no parameter ${unknown.join(', ')}; its parameters are ${[...op.pathParams, ...op.queryParams].join(', ') || 'none'}.`);
  let path = op.path;
  for (const p of op.pathParams) {
    const v = stringParam(p, params[p]);
    if (v === undefined) throw new ExplorerProblem(400, 'missing_param', `Fill in the path parameter "${p}".`);
    path = path.replace(`{${p}}`, encodeURIComponent(v));
  }
  const query = new URLSearchParams();
  for (const q of op.queryParams) {
    if (op.pathParams.includes(q)) continue;
    const v = stringParam(q, params[q]);
    if (v !== undefined) query.set(q, v);
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function tryCall(backend: Backend, op: OperationDef, input: TryInput): Promise<TryResult> {
  const token = input.token;
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token) || token.length > 16_384) {
    throw new ExplorerProblem(400, 'invalid_token', 'Mint a token first (or paste one): a JWT is three base64url parts separated by dots.');
  }
  const params = input.params ?? {};
  if (typeof params !== 'object' || Array.isArray(params)) throw new ExplorerProblem(400, 'invalid_param', 'params must be an object.');
  const path = buildPath(op, params);
  const sendBody = op.body !== 'none' && input.body !== undefined;
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
  if (sendBody) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await backend.fetch(`${backend.apiBase}${path}`, { method: op.method, headers, ...(sendBody ? { body: JSON.stringify(input.body) } : {}) });
  } catch {
    throw new ExplorerProblem(502, 'network_error', 'The call failed before any answer (connection dropped or refused); check the tenant (or the emulator\'s faults) and try again.');
  }
  const text = await response.text();
  let body: unknown = text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text;
  if (text.length <= MAX_BODY_CHARS && text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      // Keep the text.
    }
  }
  const responseHeaders: [string, string][] = [];
  response.headers.forEach((value, key) => responseHeaders.push([key, value]));
  return {
    request: { method: op.method, path: `/api/v2${path}` },
    status: response.status,
    statusText: response.statusText || (SUCCESS_TEXT[response.status] ?? STATUS_TEXT[response.status] ?? ''),
    headers: responseHeaders.sort((a, b) => a[0].localeCompare(b[0])),
    body: text === '' ? null : body,
    scopeCheck: scopeCheck(op, sendBody ? input.body : undefined, token),
  };
}
