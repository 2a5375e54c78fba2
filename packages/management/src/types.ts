/* eslint-disable @typescript-eslint/no-empty-object-type -- `{}` is the identity of `&` in these type computations */
/**
 * The typed surface: the runtime is the generated table; these types turn it into methods.
 * Everything here is derived from `schema.d.ts` (openapi-typescript) and `OperationIndex`.
 */
import type { ScopeName } from '@scopebound/token';
import type { paths } from './generated/schema';
import type { OperationDef, OperationIndex, OperationName } from './generated/operations';

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The openapi-typescript operation object of a named operation. */
export type OperationOf<N extends OperationName> = paths[OperationIndex[N]['path']][OperationIndex[N]['method']];

type PathParamsOf<O> = O extends { parameters: { path: infer P } } ? (P extends object ? P : {}) : {};
type QueryParamsOf<O> = O extends { parameters: { query?: infer Q } }
  ? [NonNullable<Q>] extends [never]
    ? {}
    : NonNullable<Q>
  : {};

/** Path + query parameters of an operation. */
export type ParamsOf<N extends OperationName> = Simplify<PathParamsOf<OperationOf<N>> & QueryParamsOf<OperationOf<N>>>;

type ContentOf<B> = [NonNullable<B>] extends [never]
  ? never
  : NonNullable<B> extends { content: infer C }
    ? C extends { 'application/json': infer J }
      ? J
      : C[keyof C]
    : never;

/** The JSON body an operation accepts (`never` when it takes none). */
export type BodyOf<N extends OperationName> = OperationOf<N> extends { requestBody?: infer B } ? ContentOf<B> : never;
type BodyRequired<O> = O extends { requestBody: { content: unknown } } ? true : false;

type JsonOf<R> = R extends { content: infer C }
  ? [NonNullable<C>] extends [never]
    ? undefined
    : C extends { 'application/json': infer J }
      ? J
      : C[keyof C]
  : undefined;

/** The typed success body (200, else 201, else 202; `undefined` for empty responses). */
export type ResultOf<N extends OperationName> = OperationOf<N> extends { responses: infer R }
  ? 200 extends keyof R
    ? JsonOf<R[200]>
    : 201 extends keyof R
      ? JsonOf<R[201]>
      : 202 extends keyof R
        ? JsonOf<R[202]>
        : undefined
  : unknown;

/** Per-call options (always the last argument). */
export interface CallOptions {
  /** Abort the call (including retries and waits). */
  signal?: AbortSignal;
  /** Per-attempt timeout in ms (overrides the client's `timeout`). */
  timeout?: number;
}

/** What `.withResponse(...)` resolves to. */
export interface ApiResponse<T> {
  readonly data: T;
  readonly status: number;
  /** Response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
}

type HasParams<N extends OperationName> = keyof ParamsOf<N> extends never ? false : true;
type HasBody<N extends OperationName> = [BodyOf<N>] extends [never] ? false : true;

type BodyTail<N extends OperationName> =
  HasBody<N> extends true
    ? BodyRequired<OperationOf<N>> extends true
      ? [body: BodyOf<N>, options?: CallOptions]
      : [body?: BodyOf<N>, options?: CallOptions]
    : [body?: undefined, options?: CallOptions];

/**
 * Arguments of an operation method: `(params, body?, options?)` when it has path or query parameters,
 * `(body, options?)` when it has none but takes a body, `(options?)` when it takes neither.
 */
export type ArgsOf<N extends OperationName> =
  HasParams<N> extends true
    ? {} extends ParamsOf<N>
      ? [params?: ParamsOf<N>, ...BodyTail<N>]
      : [params: ParamsOf<N>, ...BodyTail<N>]
    : HasBody<N> extends true
      ? BodyRequired<OperationOf<N>> extends true
        ? [body: BodyOf<N>, options?: CallOptions]
        : [body?: BodyOf<N>, options?: CallOptions]
      : [options?: CallOptions];

/** The element type of a list response (bare array, or the array property of a paginated envelope). */
export type ItemsOf<R> = R extends readonly (infer I)[]
  ? I
  : R extends object
    ? ArrayItems<KnownProps<R>>
    : never;
/** Drops index signatures (`& { [key: string]: unknown }`) so the named properties remain. */
type KnownProps<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]-?: T[K] };
type ArrayItems<T> = { [K in keyof T]: NonNullable<T[K]> extends readonly (infer I)[] ? I : never }[keyof T];

export type ItemOf<N extends OperationName> = ItemsOf<ResultOf<N>>;

/** Options of `.all()` / `.pages()`. */
export interface PaginateOptions extends CallOptions {
  /** For operations with both kinds: force one (default: checkpoint unless `page`/`per_page`/`include_totals` is given). */
  mode?: 'offset' | 'checkpoint';
  /** Stop offset paging at this many results (Auth0 caps offset queries at 1000; `false` disables the stop). */
  offsetLimit?: number | false;
  /** Hard stop after this many pages (default 10 000). */
  maxPages?: number;
}

export interface Paginated<N extends OperationName> {
  /** Every item across pages, fetched page by page. */
  all(params?: ParamsOf<N>, options?: PaginateOptions): AsyncIterableIterator<ItemOf<N>>;
  /** Every page (the raw response body of each request). */
  pages(params?: ParamsOf<N>, options?: PaginateOptions): AsyncIterableIterator<ResultOf<N>>;
}

/** A typed operation method. */
export type OperationMethod<N extends OperationName> = ((...args: ArgsOf<N>) => Promise<ResultOf<N>>) & {
  /** Same call, resolving to `{data, status, headers}`. */
  withResponse(...args: ArgsOf<N>): Promise<ApiResponse<ResultOf<N>>>;
  /** The operation's table entry (method, path, scopes, pagination). */
  readonly operation: OperationDef;
} & (OperationIndex[N]['pagination'] extends 'none' ? {} : Paginated<N>);

type Segment<N extends string, P extends string> = N extends `${P}${infer S}`
  ? S extends `${infer H}.${string}`
    ? H
    : S
  : never;

type Tree<P extends string> = {
  readonly [N in OperationName as Segment<N, P>]: N extends `${P}${infer S}`
    ? S extends `${infer H}.${string}`
      ? Tree<`${P}${H}.`>
      : OperationMethod<N>
    : never;
};

/** Every resource namespace of the Management API (`users`, `organizations.members`, …). */
export type Namespaces = Tree<''>;

export type HttpVerb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RouteOf<N extends OperationName> = `${Uppercase<OperationIndex[N]['method']>} /api/v2${OperationIndex[N]['path']}`;
export type RouteMap = { [N in OperationName as RouteOf<N>]: N };
/** `'PATCH /api/v2/users/{id}'` and every other route of the table. */
export type Route = keyof RouteMap;

export interface RequestInit<P = Record<string, unknown>, B = unknown> extends CallOptions {
  /** Path placeholders and query parameters. */
  params?: P;
  body?: B;
  /**
   * Scopes for a route outside the table (required there). For a table route it replaces the table's rule
   * (still subject to the allow-list).
   */
  scopes?: readonly ScopeName[];
}
