/**
 * `createClientFor`: validate the options, build the shared core, and hand back the first (lazy) view over a
 * table — the whole one (`createManagementClient`, whole-client.ts) or one resource's slice (the generated
 * per-resource entries). The pieces live in their own modules: client-table.ts (whole table or slice), views.ts
 * (clients and views), namespaces.ts (table → methods), planner.ts (input → plan), scope-decisions.ts
 * (allow-lists → scope needs), revocation.ts, execute.ts.
 */
import type { AccessToken, ScopeName } from '@scopebound/token';
import type { ClientTable } from './client-table';
import { createCore } from './core';
import type { OperationName } from './generated/operations';
import { resolveOrigin, resolveRetry, validateCommon, validateScopesList, type ManagementClientOptions } from './options';
import type { RevokedToken } from './revocation';
import type { ScopeDecision, ScopesForInput } from './scope-decisions';
import { createShared } from './shared';
import type { AnswerOf, ApiResponse, BodyOf, HttpVerb, Namespaces, ParamsOf, RequestInit, Route, RouteMap } from './types';
import { makeView } from './views';

export type { RevokedToken } from './revocation';
export type { ScopeDecision, ScopesForInput } from './scope-decisions';

/** The operation name of route `R` among `Names`. */
type At<Names extends OperationName, R extends Route<Names>> = Extract<RouteMap<Names>[R], OperationName>;

/** The client's methods; `Names` are the operations it serves (every one, or one resource's). */
export interface ClientMethods<Names extends OperationName = OperationName> {
  /** Reach any operation of the client's table by route, or a route outside it with explicit `scopes`. */
  request<R extends Route<Names>>(
    route: R,
    init?: RequestInit<ParamsOf<At<Names, R>>, BodyOf<At<Names, R>>> & { raw?: false | undefined },
  ): Promise<AnswerOf<At<Names, R>>>;
  request<R extends Route<Names>>(
    route: R,
    init: RequestInit<ParamsOf<At<Names, R>>, BodyOf<At<Names, R>>> & { raw: true },
  ): Promise<ApiResponse<AnswerOf<At<Names, R>>>>;
  request<T = unknown>(
    route: `${HttpVerb} /api/v2/${string}`,
    init: RequestInit & { scopes: readonly ScopeName[]; raw?: false | undefined },
  ): Promise<T>;
  request<T = unknown>(
    route: `${HttpVerb} /api/v2/${string}`,
    init: RequestInit & { scopes: readonly ScopeName[]; raw: true },
  ): Promise<ApiResponse<T>>;
  /** The scope decision for an operation (by name or route) and input, without calling anything. */
  scopesFor(operation: Names | Route<Names>, input?: ScopesForInput): ScopeDecision;
  /** A view that may use only these scopes (intersected with the client's allow-list). */
  withScopes(scopes: readonly ScopeName[]): ManagementClient<Names>;
  /** A view that calls with a user's access token (current_user operations); nothing is minted. */
  asUser(userAccessToken: string): ManagementClient<Names>;
  /** A view whose calls are recorded (usage) under this label, e.g. the app's route `PATCH /plans/:id`. */
  withLabel(label: string): ManagementClient<Names>;
  /** Blacklist a token by its `jti` (legacy endpoint, scope `blacklist:tokens`) and drop it from the token source. */
  revokeToken(token: string | AccessToken): Promise<RevokedToken>;
  /** The allow-list in force (undefined: any server scope). */
  readonly allowedScopes: readonly string[] | undefined;
  /** Release the keep-alive connections. */
  close(): Promise<void>;
}

/** The client: every resource namespace of its table (all of them by default) plus the methods above. */
export type ManagementClient<Names extends OperationName = OperationName> = Namespaces<Names> & ClientMethods<Names>;

/** A client over `table` (the whole table or a generated slice): one runtime for both. */
export function createClientFor<Names extends OperationName = OperationName>(table: ClientTable, options: ManagementClientOptions): ManagementClient<Names> {
  validateCommon(options);
  const where = resolveOrigin(options);
  const retry = resolveRetry(options.retry);
  const allowList = options.allowScopes === undefined ? undefined : validateScopesList('allowScopes', options.allowScopes, options.unknownScopes);
  const shared = createShared(createCore(options, where, retry), table);
  return makeView(shared, { allow: allowList ? new Set(allowList) : undefined, allowList, userToken: undefined }) as unknown as ManagementClient<Names>;
}
