// @scopebound/koa public surface
export { scopebound } from './scopebound';
export type { ScopeboundMiddleware, ScopeboundOptions } from './scopebound';
export { allowScopes } from './allow-scopes';
export type { AllowScopesMiddleware } from './allow-scopes';
export { scopeboundErrors } from './error-handler';
export type { ErrorMiddlewareOptions } from './error-handler';
export type { ContextLike, Next, ResponseContextLike } from './context-like';
export type { Auth0View } from './augment';
export type { AdapterOptions, SharedClientOptions, TenantConfig } from '@scopebound/management/adapter';
export { mapScopeboundError, isScopeboundError } from '@scopebound/management/adapter';
export type { MappedError, MapErrorOptions } from '@scopebound/management/adapter';
export { MissingUserTokenError } from '@scopebound/management/adapter';
