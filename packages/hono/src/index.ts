// @scopebound/hono public surface (Web APIs only: runs on Node, Bun, Deno and Workers)
export { scopebound } from './scopebound';
export type { ScopeboundEnv, ScopeboundMiddleware, ScopeboundOptions } from './scopebound';
export { allowScopes } from './allow-scopes';
export type { AllowScopesMiddleware } from './allow-scopes';
export { scopeboundErrorHandler } from './error-handler';
export type { ErrorHandlerOptions } from './error-handler';
export type { AdapterOptions, Auth0View, SharedClientOptions, TenantConfig } from '@scopebound/management/adapter';
export { mapScopeboundError, isScopeboundError } from '@scopebound/management/adapter';
export type { MappedError, MapErrorOptions } from '@scopebound/management/adapter';
export { MissingUserTokenError } from '@scopebound/management/adapter';
