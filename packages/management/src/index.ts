// @scopebound/management public surface
export { createManagementClient } from './whole-client';
export type { ManagementClient, ClientMethods, ScopeDecision, ScopesForInput, RevokedToken } from './client';
export type { ManagementClientOptions, RetryOptions } from './options';
export type { ManagementEvent } from './events';
export { localRateLimiter } from './rate-limiter';
export type { RateLimiter, RateLimiterContext } from './rate-limiter';
export type { Pacer, PacerState } from './pacer';
export type { ManagementRequestContext } from './request-trace';
export type { FetchLike, UndiciTransportOptions } from './transport';
export type {
  AnswerOf,
  ApiResponse,
  ArgsOf,
  BodyOf,
  CallOptions,
  HttpVerb,
  ItemOf,
  ItemsOf,
  Namespaces,
  OperationMethod,
  OperationOf,
  PageOf,
  Paginated,
  PaginateOptions,
  ParamsOf,
  RequestInit,
  ResultOf,
  Route,
  RouteMap,
  RouteOf,
  ScopesOf,
} from './types';
export {
  ManagementError,
  ManagementApiError,
  InsufficientScopeError,
  RateLimitError,
  ScopeNotAllowedError,
  TimeoutError,
  NetworkError,
  ResponseTooLargeError,
  InvalidResponseError,
  InvalidOptionError,
  InvalidRequestError,
  ResultWindowError,
  ClientClosedError,
} from './errors';
export type { ManagementErrorCode, RequestInfo, ApiErrorDetails } from './errors';

// The operation table, scope rules and OpenAPI types live at `@scopebound/management/operations` (without the
// client); the same names stay here for compatibility (deprecated: import them from the subpath).
export * from './operations';
export { DEFAULT_PAGE_SIZE, OFFSET_LIMIT } from './pagination';
export { ScopeboundError } from '@scopebound/token';
