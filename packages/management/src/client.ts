/**
 * createManagementClient: validate the options, build the shared core, and hand back the first (lazy) view.
 * The pieces live in their own modules: views.ts (clients and views), namespaces.ts (table → methods),
 * planner.ts (input → plan), scope-decisions.ts (allow-lists → scope needs), revocation.ts, execute.ts.
 */
import type { AccessToken, ScopeName } from '@scopebound/token';
import { createCore } from './core';
import type { OperationName } from './generated/operations';
import { resolveOrigin, resolveRetry, validateCommon, validateScopesList, type ManagementClientOptions } from './options';
import type { RevokedToken } from './revocation';
import type { ScopeDecision, ScopesForInput } from './scope-decisions';
import { createShared } from './shared';
import type { ApiResponse, BodyOf, HttpVerb, Namespaces, ParamsOf, RequestInit, ResultOf, Route, RouteMap } from './types';
import { makeView } from './views';

export type { RevokedToken } from './revocation';
export type { ScopeDecision, ScopesForInput } from './scope-decisions';

export interface ClientMethods {
  /** Reach any table operation by route, or a route outside the table with explicit `scopes`. */
  request<R extends Route>(
    route: R,
    init?: RequestInit<ParamsOf<RouteMap[R]>, BodyOf<RouteMap[R]>> & { raw?: false },
  ): Promise<ResultOf<RouteMap[R]>>;
  request<R extends Route>(
    route: R,
    init: RequestInit<ParamsOf<RouteMap[R]>, BodyOf<RouteMap[R]>> & { raw: true },
  ): Promise<ApiResponse<ResultOf<RouteMap[R]>>>;
  request<T = unknown>(
    route: `${HttpVerb} /api/v2/${string}`,
    init: RequestInit & { scopes: readonly ScopeName[]; raw?: false },
  ): Promise<T>;
  request<T = unknown>(
    route: `${HttpVerb} /api/v2/${string}`,
    init: RequestInit & { scopes: readonly ScopeName[]; raw: true },
  ): Promise<ApiResponse<T>>;
  /** The scope decision for an operation (by name or route) and input, without calling anything. */
  scopesFor(operation: OperationName | Route, input?: ScopesForInput): ScopeDecision;
  /** A view that may use only these scopes (intersected with the client's allow-list). */
  withScopes(scopes: readonly ScopeName[]): ManagementClient;
  /** A view that calls with a user's access token (current_user operations); nothing is minted. */
  asUser(userAccessToken: string): ManagementClient;
  /** A view whose calls are recorded (usage) under this label, e.g. the app's route `PATCH /plans/:id`. */
  withLabel(label: string): ManagementClient;
  /** Blacklist a token by its `jti` (legacy endpoint, scope `blacklist:tokens`) and drop it from the token source. */
  revokeToken(token: string | AccessToken): Promise<RevokedToken>;
  /** The allow-list in force (undefined: any server scope). */
  readonly allowedScopes: readonly string[] | undefined;
  /** Release the keep-alive connections. */
  close(): Promise<void>;
}

/** The client: every resource namespace of the table plus the methods above. */
export type ManagementClient = Namespaces & ClientMethods;

export function createManagementClient(options: ManagementClientOptions): ManagementClient {
  validateCommon(options);
  const where = resolveOrigin(options);
  const retry = resolveRetry(options.retry);
  const allowList = options.allowScopes === undefined ? undefined : validateScopesList('allowScopes', options.allowScopes, options.unknownScopes);
  const shared = createShared(createCore(options, where, retry));
  return makeView(shared, { allow: allowList ? new Set(allowList) : undefined, allowList, userToken: undefined });
}
