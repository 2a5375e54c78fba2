/** The operation table as the explorer page sees it: the generated facts plus the Scopebound call shape. */
import { SCOPES, SPECIAL_SCOPES } from '@scopebound/token';
import { operations, type BodyRule, type OperationDef } from '../table';

export interface OperationView {
  readonly name: string;
  /** First segment of the name, e.g. `users` for `users.roles.list`. */
  readonly group: string;
  readonly method: OperationDef['method'];
  /** Relative to /api/v2. */
  readonly path: string;
  readonly scopes: readonly string[];
  readonly rule: OperationDef['rule'];
  readonly anyOf: readonly (readonly string[])[];
  readonly bodyRules?: readonly BodyRule[];
  readonly pagination: OperationDef['pagination'];
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly body: OperationDef['body'];
  /** Whether the Try-it form shows a body field (`bodyField`). */
  readonly bodyField: 'none' | 'optional' | 'required';
  /** Query parameters that take true/false (a select in the form, not a text box). */
  readonly booleanParams: readonly string[];
  readonly deprecated: boolean;
  /** How to call it with @scopebound/management, e.g. `mgmt.users.update({ id }, body)`. */
  readonly call: string;
}

/**
 * Query parameters the pinned Management API document types as boolean. The generated table carries
 * parameter names only; until the generator emits types, this list (names, no prose) stands in, and a test
 * checks every name is a query parameter of the table.
 */
export const BOOLEAN_QUERY_PARAMS: ReadonlySet<string> = new Set([
  'consider_brute_force_enablement', 'deployed', 'disabled', 'enabled', 'force', 'include_fields', 'include_totals',
  'installed', 'is_enabled', 'is_first_party', 'is_global', 'primary_order', 'synchronous',
]);

/** The body field a Try-it form shows: none for a GET (or HEAD), none when the operation takes no body. */
export function bodyField(op: Pick<OperationDef, 'method' | 'body'>): OperationView['bodyField'] {
  if (op.method === 'GET' || (op.method as string) === 'HEAD') return 'none';
  return op.body;
}

/** At most this many optional query parameters are spelled out in a call shape; the rest become `…`. */
const MAX_QUERY_IN_CALL = 3;

/**
 * The @scopebound/management call for an operation: path parameters are required (`{ id }`), query parameters
 * optional (`{ q?, page?, … }`); an operation without parameters takes its body first (`mgmt.users.create(body)`).
 */
export function callShape(op: Pick<OperationDef, 'name' | 'pathParams' | 'queryParams' | 'body'>): string {
  const query = op.queryParams.filter((q) => !op.pathParams.includes(q));
  const parts = [...op.pathParams, ...query.slice(0, MAX_QUERY_IN_CALL).map((q) => `${q}?`)];
  if (query.length > MAX_QUERY_IN_CALL) parts.push('…');
  const hasParams = op.pathParams.length + query.length > 0;
  const args: string[] = [];
  if (hasParams) args.push(`{ ${parts.join(', ')} }`);
  if (op.body !== 'none') args.push('body');
  return `mgmt.${op.name}(${args.join(', ')})`;
}

export function operationView(op: OperationDef): OperationView {
  return {
    name: op.name,
    group: op.name.split('.')[0] ?? op.name,
    method: op.method,
    path: op.path,
    scopes: op.scopes,
    rule: op.rule,
    anyOf: op.anyOf,
    ...(op.bodyRules ? { bodyRules: op.bodyRules } : {}),
    pagination: op.pagination,
    pathParams: op.pathParams,
    queryParams: op.queryParams,
    body: op.body,
    bodyField: bodyField(op),
    booleanParams: op.queryParams.filter((q) => BOOLEAN_QUERY_PARAMS.has(q)),
    deprecated: op.deprecated,
    call: callShape(op),
  };
}

export interface OperationsDocument {
  readonly operations: readonly OperationView[];
  readonly scopes: readonly string[];
  readonly specialScopes: readonly string[];
}

/** The JSON document served at `/explorer/api/operations` (built once per explorer). */
export function operationsDocument(): OperationsDocument {
  return {
    operations: operations.map(operationView),
    scopes: [...SCOPES],
    specialScopes: [...SPECIAL_SCOPES],
  };
}

export function findOperation(name: string): OperationDef | undefined {
  return operations.find((o) => o.name === name);
}
