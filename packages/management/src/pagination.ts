/**
 * Async iteration over offset (`page`/`per_page`/`include_totals`) and checkpoint (`from`/`take`/`next`)
 * operations. Every loop is bounded: it stops on a short or empty page, the reported total, a missing or
 * repeated `next` or `maxPages`. Auth0 answers at most 1000 results per offset query: a walk that would be cut
 * there throws `ResultWindowError` (as soon as the first page's total shows it), unless `truncate: true`.
 */
import { InvalidRequestError, InvalidResponseError, ResultWindowError } from './errors';
import type { ManagementEvent } from './events';
import type { OperationDef } from './generated/operations';
import type { PaginateOptions } from './types';

export const DEFAULT_PAGE_SIZE = 50;
export const OFFSET_LIMIT = 1000;
const DEFAULT_MAX_PAGES = 10_000;

type Fetch = (params: Record<string, unknown>) => Promise<unknown>;

function itemsOf(op: OperationDef, data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  if (typeof data === 'object' && data !== null) {
    const record = data as Record<string, unknown>;
    if (op.itemsKey) {
      const items = record[op.itemsKey];
      if (Array.isArray(items)) return items;
      if (items === undefined || items === null) return [];
    }
  }
  throw new InvalidResponseError({ method: op.method, route: `/api/v2${op.path}` }, 200, `expected a list${op.itemsKey ? ` in \`${op.itemsKey}\`` : ''}`);
}

function positiveInt(name: string, value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new InvalidRequestError(`\`${name}\` must be a non-negative integer, got ${String(value)}.`);
  return n;
}

export function modeFor(op: OperationDef, params: Record<string, unknown>, options: PaginateOptions): 'offset' | 'checkpoint' {
  if (op.pagination === 'none') throw new InvalidRequestError(`${op.name} is not paginated; call it directly.`);
  if (op.pagination !== 'both') {
    if (options.mode && options.mode !== op.pagination) throw new InvalidRequestError(`${op.name} supports only ${op.pagination} pagination.`);
    return op.pagination;
  }
  if (options.mode) return options.mode;
  const offsetish = ['page', 'per_page', 'include_totals'].some((k) => params[k] !== undefined);
  return offsetish ? 'offset' : 'checkpoint';
}

export async function* pages(
  op: OperationDef,
  fetchPage: Fetch,
  input: Record<string, unknown> | undefined,
  options: PaginateOptions,
  emit: (event: ManagementEvent) => void,
): AsyncGenerator<unknown> {
  const params: Record<string, unknown> = { ...(input ?? {}) };
  const mode = modeFor(op, params, options);
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;

  if (mode === 'checkpoint') {
    const take = params.take === undefined ? DEFAULT_PAGE_SIZE : positiveInt('take', params.take);
    let from = params.from as string | undefined;
    const seen = new Set<string>();
    for (let n = 0; n < maxPages; n++) {
      const query: Record<string, unknown> = { ...params, take };
      if (from !== undefined) query.from = from;
      else delete query.from;
      const data = await fetchPage(query);
      const items = itemsOf(op, data);
      yield data;
      const next = !Array.isArray(data) && typeof data === 'object' && data !== null ? (data as { next?: unknown }).next : undefined;
      if (items.length === 0 || typeof next !== 'string' || next === '' || seen.has(next)) return;
      seen.add(next);
      from = next;
    }
    return;
  }

  const perPage = params.per_page === undefined ? DEFAULT_PAGE_SIZE : positiveInt('per_page', params.per_page);
  if (perPage === 0) throw new InvalidRequestError('`per_page` must be at least 1.');
  let page = params.page === undefined ? 0 : positiveInt('page', params.page);
  const limit = options.offsetLimit === undefined ? OFFSET_LIMIT : options.offsetLimit;
  const withTotals = op.queryParams.includes('include_totals') && params.include_totals !== false;
  let fetched = 0;
  /** The window would cut the walk short: refused (`ResultWindowError`), or with `truncate` an event and a stop. */
  const cut = (total: number | undefined) => {
    if (!options.truncate) throw new ResultWindowError(op.name, limit as number, total, op.pagination === 'both');
    emit({ type: 'pagination-limit', operation: op.name, fetched, limit: limit as number, ...(total !== undefined ? { total } : {}) });
  };
  for (let n = 0; n < maxPages; n++) {
    const query: Record<string, unknown> = { ...params, page, per_page: perPage };
    if (withTotals) query.include_totals = true;
    const data = await fetchPage(query);
    const items = itemsOf(op, data);
    const total = !Array.isArray(data) && typeof (data as { total?: unknown }).total === 'number' ? (data as { total: number }).total : undefined;
    // The first page's total already tells whether the window will cut the walk: refuse before yielding anything.
    if (n === 0 && !options.truncate && limit !== false && total !== undefined && total > limit) {
      cut(total);
    }
    yield data;
    fetched += items.length;
    const seenThrough = (page + 1) * perPage;
    if (items.length === 0 || items.length < perPage) return;
    if (total !== undefined && seenThrough >= total) return;
    // Auth0 refuses an offset query reaching past the limit: stop before the page that would.
    if (limit !== false && seenThrough + perPage > limit) {
      cut(total);
      return;
    }
    page += 1;
  }
}

export async function* items(
  op: OperationDef,
  fetchPage: Fetch,
  input: Record<string, unknown> | undefined,
  options: PaginateOptions,
  emit: (event: ManagementEvent) => void,
): AsyncGenerator<unknown> {
  for await (const data of pages(op, fetchPage, input, options, emit)) {
    yield* itemsOf(op, data);
  }
}
