/**
 * Resource namespaces from the table: each namespace and operation method is built on first access and then
 * fixed on its object (lazy getters, shared per table through a prototype, shadowed by values), so a client
 * compiles only what it calls.
 */
import { ClientClosedError, InvalidRequestError } from './errors';
import { execute } from './execute';
import type { OperationDef } from './generated/operations';
import { items, pages } from './pagination';
import { planCall, type Compiled } from './planner';
import type { View } from './shared';
import type { NsNode } from './table-index';
import type { CallOptions, PaginateOptions } from './types';

const NO_OPTIONS: CallOptions = Object.freeze({});

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An operation call: argument checks and the plan synchronously, errors as a rejected promise. */
function invoke(view: View, c: Compiled, a0: unknown, a1: unknown, a2: unknown, raw: boolean): Promise<unknown> {
  try {
    const { core } = view.shared;
    if (core.closed) throw new ClientClosedError();
    const op = c.op as OperationDef;
    let params: unknown, body: unknown, opts: unknown;
    if (c.layout === 'params') {
      params = a0;
      body = a1;
      opts = a2;
    } else if (c.layout === 'body') {
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
    return execute(core, planCall(view, c, params as Record<string, unknown> | undefined, body), (opts ?? NO_OPTIONS) as CallOptions, raw);
  } catch (e) {
    return Promise.reject(e);
  }
}

/** `.pages()` and `.all()` of a paginated operation. */
function definePagination(view: View, c: Compiled, fn: object): void {
  const op = c.op as OperationDef;
  const { core } = view.shared;
  const fetchPage = (options: PaginateOptions) => (query: Record<string, unknown>) =>
    execute(core, planCall(view, c, query, undefined), { signal: options.signal, timeout: options.timeout }, false);
  const check = (params: unknown, options: unknown): PaginateOptions => {
    if (params !== undefined && !isRecord(params)) throw new InvalidRequestError(`${op.name}.all takes parameters as an object.`);
    if (options !== undefined && !isRecord(options)) throw new InvalidRequestError(`${op.name}.all: options must be an object.`);
    if (core.closed) throw new ClientClosedError();
    return (options ?? {}) as PaginateOptions;
  };
  for (const [key, iterate] of [['pages', pages], ['all', items]] as const) {
    Object.defineProperty(fn, key, {
      enumerable: true,
      value: (params?: Record<string, unknown>, options?: PaginateOptions) => {
        const o = check(params, options);
        return iterate(op, fetchPage(o), params, o, core.emit);
      },
    });
  }
}

function makeOperation(view: View, op: OperationDef) {
  const c = view.shared.compiled(op);
  const fn = (a0?: unknown, a1?: unknown, a2?: unknown) => invoke(view, c, a0, a1, a2, false);
  Object.defineProperty(fn, 'name', { value: op.name });
  Object.defineProperty(fn, 'operation', { value: op, enumerable: true });
  Object.defineProperty(fn, 'withResponse', { value: (a0?: unknown, a1?: unknown, a2?: unknown) => invoke(view, c, a0, a1, a2, true), enumerable: true });
  if (op.pagination !== 'none') definePagination(view, c, fn);
  return fn;
}

/** The view a namespace object belongs to (the only own property it starts with). */
const VIEW = Symbol('scopebound.view');

type Namespace = Record<string | symbol, unknown> & { [VIEW]: View };

/**
 * One prototype per node of a table's index (shared by every client over that table): lazy getters that build a
 * child namespace or an operation method for the namespace object they are read on, then fix it there as its own
 * property. A client's namespace object is then one small object, not an accessor pair and two closures per key.
 */
const prototypes = new WeakMap<NsNode, object>();

function lazy(proto: object, key: string, build: (view: View) => unknown): void {
  Object.defineProperty(proto, key, {
    configurable: true,
    enumerable: true,
    get(this: Namespace) {
      const value = build(this[VIEW]);
      Object.defineProperty(this, key, { value, enumerable: true, configurable: false, writable: false });
      return value;
    },
  });
}

function prototypeOf(node: NsNode): object {
  let proto = prototypes.get(node);
  if (proto === undefined) {
    proto = {};
    for (const [key, child] of node.children) lazy(proto, key, (view) => makeNamespace(view, child));
    for (const [key, op] of node.ops) lazy(proto, key, (view) => makeOperation(view, op));
    prototypes.set(node, proto);
  }
  return proto;
}

/** A namespace object of `view`: child namespaces and operations as lazy, then fixed, properties. */
export function makeNamespace(view: View, node: NsNode): Record<string, unknown> {
  const ns = Object.create(prototypeOf(node)) as Namespace;
  Object.defineProperty(ns, VIEW, { value: view });
  return ns;
}
