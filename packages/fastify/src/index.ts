// @scopebound/fastify public surface
import './augment';
export { scopebound } from './scopebound';
export type { ScopeboundOptions, ScopeboundPlugin } from './scopebound';
export { allowScopes } from './allow-scopes';
export type { AllowScopesHook } from './allow-scopes';
export { scopeboundErrorHandler } from './error-handler';
export type { ErrorHandlerOptions } from './error-handler';
export type { Auth0View } from './augment';
export type { AdapterOptions, SharedClientOptions, TenantConfig } from '@scopebound/management/adapter';
export { mapScopeboundError, isScopeboundError } from '@scopebound/management/adapter';
export type { MappedError, MapErrorOptions } from '@scopebound/management/adapter';
export { MissingUserTokenError } from '@scopebound/management/adapter';
