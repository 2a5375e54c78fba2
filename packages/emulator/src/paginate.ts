/** Auth0's two pagination envelopes: offset (page/per_page/include_totals) and checkpoint (from/take → next). */
import { ApiProblem } from './http';
import type { OperationDef } from './table';

export function queryError(message: string): ApiProblem {
  return new ApiProblem(400, `Query validation error: ${message}`, 'invalid_query_string');
}

export function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw queryError(`'Expected type integer but found type string' on property ${name}.`);
  const n = Number(raw);
  if (n < min) throw queryError(`'Value ${n} is less than minimum ${min}' on property ${name}.`);
  if (n > max) throw queryError(`'Value ${n} is greater than maximum ${max}' on property ${name}.`);
  return n;
}

export function boolParam(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw queryError(`'Expected type boolean but found type string' on property ${name}.`);
}

function encodeCursor(index: number): string {
  return Buffer.from(JSON.stringify({ o: index })).toString('base64url');
}

function decodeCursor(from: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(from, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through
  }
  throw queryError(`'Invalid checkpoint' on property from.`);
}

export interface PageOptions {
  maxPerPage?: number;
  /** Custom checkpoint: items after `from` (e.g. logs by log_id) and the `next` value of an item. */
  checkpoint?: { after(from: string): number; next(item: unknown): string };
}

/** Checkpoint pages when the caller asks (`from`/`take`), or always where the envelope is the only declared shape. */
export function usesCheckpoint(op: OperationDef, query: URLSearchParams): boolean {
  if (op.pagination === 'checkpoint' && op.response === 'envelope') return true;
  if (op.pagination === 'checkpoint' || op.pagination === 'both') return query.has('from') || query.has('take');
  return false;
}

/** Page `items` as the operation's pagination kind asks. */
export function paginate(op: OperationDef, query: URLSearchParams, items: readonly unknown[], options: PageOptions = {}): unknown {
  const key = op.itemsKey ?? 'items';
  const max = options.maxPerPage ?? 100;
  if (usesCheckpoint(op, query)) {
    const take = intParam(query, 'take', 50, 1, max);
    const from = query.get('from');
    let start = 0;
    if (from) start = options.checkpoint ? options.checkpoint.after(from) : decodeCursor(from);
    const slice = items.slice(start, start + take);
    const body: Record<string, unknown> = { [key]: slice };
    const end = start + slice.length;
    if (end < items.length && slice.length > 0) {
      body.next = options.checkpoint ? options.checkpoint.next(slice[slice.length - 1]) : encodeCursor(end);
    }
    return body;
  }
  if (op.pagination === 'none' || op.pagination === 'checkpoint') return items;
  const perPage = intParam(query, 'per_page', 50, 1, max);
  const page = intParam(query, 'page', 0, 0, 1_000_000);
  const totals = boolParam(query, 'include_totals') ?? false;
  const start = page * perPage;
  const slice = items.slice(start, start + perPage);
  if (!totals) return slice;
  return { start, limit: perPage, length: slice.length, total: items.length, [key]: slice };
}

/** Apply `fields` / `include_fields` to one object. */
export function project<T extends Record<string, unknown>>(item: T, query: URLSearchParams): Partial<T> {
  const fields = query.get('fields');
  if (!fields) return item;
  const list = fields.split(',').map((f) => f.trim()).filter(Boolean);
  const include = query.get('include_fields') !== 'false';
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) {
    if (list.includes(k) === include) out[k] = v;
  }
  return out as Partial<T>;
}
