/* eslint-disable @typescript-eslint/no-empty-object-type -- `{}` is the identity of `&` in these type computations */
/**
 * The typed surface: the runtime is the generated table; these types turn it into methods.
 * Everything here is derived from `schema.d.ts` (openapi-typescript) and `OperationIndex`.
 */
import type { ScopeName } from '@scopebound/token';
import type { paths } from './generated/schema';
import type { Namespaces as AllNamespaces, OperationShapes } from './generated/api';
import type { OperationDef, OperationIndex, OperationName } from './generated/operations';

/** The openapi-typescript operation object of a named operation. */
export type OperationOf<N extends OperationName> = PathItem<N>[OperationIndex[N]['method'] & keyof PathItem<N>];
type PathItem<N extends OperationName> = paths[OperationIndex[N]['path']];

type Shape<N extends OperationName> = OperationShapes[N];
/** A field of an operation's generated shape; absent fields mean no params, no body, body optional. */
type Field<N extends OperationName, K extends string, D> = Shape<N> extends { readonly [P in K]: infer V } ? V : D;
type Has<T> = [T] extends [never] ? false : true;

/** Path + query parameters of an operation (`{}` when it has none); named `UsersListParams` etc. in the generated types. */
export type ParamsOf<N extends OperationName> = Has<Field<N, 'params', never>> extends true ? Field<N, 'params', never> : {};
/** The JSON body an operation accepts (`never` when it takes none). */
export type BodyOf<N extends OperationName> = Field<N, 'body', never>;
/**
 * What an operation method resolves to (200, else 201, else 202; `undefined` for empty responses). For offset
 * lists with `include_totals`, the bare items: the call with `include_totals: true` resolves to `PageOf`.
 */
export type ResultOf<N extends OperationName> = Shape<N>['result'];
/** The `include_totals: true` answer of an offset list (`never` for other operations). */
export type PageOf<N extends OperationName> = Shape<N> extends { page: infer P } ? P : never;
/** Any answer the operation may give, whatever its parameters (what `request()` and `.pages()` resolve to). */
export type AnswerOf<N extends OperationName> = Shape<N> extends { response: infer R } ? R : ResultOf<N> | PageOf<N>;
/** The scopes that may authorise an operation (the generated scope union, narrowed to this operation). */
export type ScopesOf<N extends OperationName> = Shape<N>['scopes'];

/** Per-call options (always the last argument). */
export interface CallOptions {
  /** Abort the call (including retries and waits). */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout in ms (overrides the client's `timeout`). */
  timeout?: number | undefined;
}

/** What `.withResponse(...)` resolves to. */
export interface ApiResponse<T> {
  readonly data: T;
  readonly status: number;
  /** Response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
}

type BodyTail<N extends OperationName> =
  Has<BodyOf<N>> extends true
    ? Field<N, 'bodyRequired', false> extends true
      ? [body: BodyOf<N>, options?: CallOptions]
      : [body?: BodyOf<N>, options?: CallOptions]
    : [body?: undefined, options?: CallOptions];

type ParamsFirst<P, Tail extends unknown[]> = {} extends P ? [params?: P, ...Tail] : [params: P, ...Tail];

/**
 * Arguments of an operation method: `(params, body?, options?)` when it has path or query parameters,
 * `(body, options?)` when it has none but takes a body, `(options?)` when it takes neither.
 */
export type ArgsOf<N extends OperationName> =
  Has<Field<N, 'params', never>> extends true
    ? ParamsFirst<Field<N, 'params', never>, BodyTail<N>>
    : Has<BodyOf<N>> extends true
      ? Field<N, 'bodyRequired', false> extends true
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

/** One item of a list operation (what `.all()` yields); named `UsersListItem` etc. in the generated types. */
export type ItemOf<N extends OperationName> = Shape<N> extends { item: infer I } ? I : never;

/** Options of `.all()` / `.pages()`. */
export interface PaginateOptions extends CallOptions {
  /** For operations with both kinds: force one (default: checkpoint unless `page`/`per_page`/`include_totals` is given). */
  mode?: 'offset' | 'checkpoint' | undefined;
  /**
   * Offset paging stops where Auth0's result window ends (1000 results). When more results exist than the window
   * holds, `.all()` throws `ResultWindowError` (use an export job or a narrower query) unless `truncate: true`,
   * which stops at the window instead (a `pagination-limit` event says so).
   */
  truncate?: boolean | undefined;
  /** The offset window in results (default 1000, Auth0's); `false` pages on without a limit (for other servers). */
  offsetLimit?: number | false | undefined;
  /** Hard stop after this many pages (default 10 000). */
  maxPages?: number | undefined;
}

export interface Paginated<N extends OperationName> {
  /** Every item across pages, fetched page by page. */
  all(params?: ParamsOf<N>, options?: PaginateOptions): AsyncIterableIterator<ItemOf<N>>;
  /** Every page (the raw response body of each request). */
  pages(params?: ParamsOf<N>, options?: PaginateOptions): AsyncIterableIterator<AnswerOf<N>>;
}

type Wrap<T, Raw extends boolean> = Raw extends true ? Promise<ApiResponse<T>> : Promise<T>;
/** The type of parameter `K` in the parameters given (`undefined` when absent or optional). */
type Value<P, K extends string> = P extends { readonly [Q in K]: infer V } ? V : undefined;
/** Without `include_totals` given (and, for operations with both kinds, without `from`/`take`). */
type NoTotals = { include_totals?: undefined };
type TotalsTail = [body?: undefined, options?: CallOptions];

/** What an offset list resolves to for the parameters given: the page with `include_totals: true`, else the items. */
type TotalsAnswer<N extends OperationName, P> = [Value<P, 'include_totals'>] extends [true]
  ? PageOf<N>
  : [Value<P, 'include_totals'>] extends [false | undefined]
    ? OperationIndex[N]['pagination'] extends 'both'
      ? [Value<P, 'from'> | Value<P, 'take'>] extends [undefined]
        ? ResultOf<N>
        : AnswerOf<N>
      : ResultOf<N>
    : AnswerOf<N>;
/** No keys beyond the operation's parameters (a generic parameter skips the excess-property check). */
type Exact<P, Allowed> = P & { [K in Exclude<keyof P, keyof Allowed>]: never };

/**
 * An offset list with `include_totals`: the items without it, the page with `include_totals: true`. One generic
 * signature (not overloads), so editors show the operation's own doc comment on hover.
 */
type TotalsCall<N extends OperationName, Raw extends boolean> = {} extends ParamsOf<N>
  ? <P extends ParamsOf<N> = ParamsOf<N> & NoTotals>(params?: Exact<P, ParamsOf<N>>, ...rest: TotalsTail) => Wrap<TotalsAnswer<N, P>, Raw>
  : <P extends ParamsOf<N>>(params: Exact<P, ParamsOf<N>>, ...rest: TotalsTail) => Wrap<TotalsAnswer<N, P>, Raw>;

type Call<N extends OperationName, Raw extends boolean> = Has<PageOf<N>> extends true
  ? TotalsCall<N, Raw>
  : (...args: ArgsOf<N>) => Wrap<ResultOf<N>, Raw>;

/** A typed operation method. */
export type OperationMethod<N extends OperationName> = Call<N, false> & {
  /** Same call, resolving to `{data, status, headers}`. */
  withResponse: Call<N, true>;
  /** The operation's table entry (method, path, scopes, pagination). */
  readonly operation: OperationDef;
} & (OperationIndex[N]['pagination'] extends 'none' ? {} : Paginated<N>);

type TopLevel<N extends string> = N extends `${infer H}.${string}` ? H : N;

/**
 * Every resource namespace of the Management API (`users`, `organizations.members`, …) as the generated interfaces
 * (doc comment on every method), or those of `Names` (a per-resource entry's slice).
 */
export type Namespaces<Names extends OperationName = OperationName> = [OperationName] extends [Names]
  ? AllNamespaces
  : Pick<AllNamespaces, TopLevel<Names> & keyof AllNamespaces>;

export type HttpVerb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RouteOf<N extends OperationName> = `${Uppercase<OperationIndex[N]['method']>} /api/v2${OperationIndex[N]['path']}`;
export type RouteMap<Names extends OperationName = OperationName> = { [N in Names as RouteOf<N>]: N };
/** `'PATCH /api/v2/users/{id}'` and every other route of the table (or of `Names`). */
export type Route<Names extends OperationName = OperationName> = keyof RouteMap<Names>;

export interface RequestInit<P = Record<string, unknown>, B = unknown> extends CallOptions {
  /** Path placeholders and query parameters. */
  params?: P | undefined;
  body?: B | undefined;
  /**
   * Scopes for a route outside the table (required there). For a table route it replaces the table's rule
   * (still subject to the allow-list).
   */
  scopes?: readonly ScopeName[] | undefined;
}
