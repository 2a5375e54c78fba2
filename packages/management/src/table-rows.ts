/**
 * The generated table's rows (`generated/tables/*`) as `OperationDef`s. Each operation is generated as one
 * compact tuple, without the fields that follow from others, and expanded here once, when its resource loads:
 * `anyOf` 0 is one alternative per listed scope, `pathParams` 0 the path's own `{placeholders}` in order.
 */
import type { BodyRule, HttpMethod, OperationDef, PaginationKind, ResponseKind, ScopeRule } from './generated/operations';
import type { Scope } from './generated/scopes';

/** `flags` bits. */
export const IDEMPOTENT = 1;
export const DEPRECATED = 2;
export const FROM_OVERLAY = 4;

export type Row = readonly [
  id: string,
  method: HttpMethod,
  path: string,
  name: string,
  scopes: readonly Scope[],
  rule: ScopeRule,
  anyOf: 0 | readonly (readonly Scope[])[],
  pagination: PaginationKind,
  response: ResponseKind,
  pathParams: 0 | readonly string[],
  queryParams: readonly string[],
  body: OperationDef['body'],
  flags: number,
  title?: string | 0,
  itemsKey?: string | 0,
  bodyRules?: readonly BodyRule[],
];

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** The `{placeholders}` of a path, in order. */
export const placeholders = (path: string): string[] => Array.from(path.matchAll(/\{([^}]+)\}/g), (m) => m[1] as string);

function expand(row: Row): OperationDef {
  const [id, method, path, name, scopes, rule, anyOf, pagination, response, pathParams, queryParams, body, flags, title, itemsKey, bodyRules] = row;
  const op: Writable<OperationDef> = { id, method, path, name, scopes, rule, anyOf: anyOf === 0 ? scopes.map((s) => [s]) : anyOf } as Writable<OperationDef>;
  if (bodyRules) op.bodyRules = bodyRules;
  op.pagination = pagination;
  if (itemsKey) op.itemsKey = itemsKey;
  op.response = response;
  op.pathParams = pathParams === 0 ? placeholders(path) : pathParams;
  op.queryParams = queryParams;
  op.body = body;
  op.idempotent = (flags & IDEMPOTENT) !== 0;
  op.deprecated = (flags & DEPRECATED) !== 0;
  if (title) op.title = title;
  if (flags & FROM_OVERLAY) op.source = 'overlay';
  return op;
}

export function rows(list: readonly Row[]): readonly OperationDef[] {
  return list.map(expand);
}
