/**
 * @scopebound/management/adapter: the framework-neutral core the Express and Koa adapters are thin layers
 * over (client per request or per tenant, lazy per-request views, allow-lists, error mapping). Public so that
 * an adapter for another framework can be written the same way.
 */
export { validateAllowList, narrow } from './allow-list';
export { bearerFrom, type HeaderValue } from './bearer';
export { isManagementClient, resolveSettings, type ClientSource, type SourceSettings } from './client-source';
export { createTenantCache, type TenantCache, type TenantCacheOptions, type TenantCacheStats } from './tenant-cache';
export { MissingUserTokenError } from './errors';
export { isScopeboundError, mapScopeboundError, type MappedError, type MappedErrorBody, type MapErrorOptions } from './map-error';
export { grantRefusal, grantRefusalMessage, type GrantRefusal } from './grant-refusal';
export { errorReporter, type ErrorReporter, type ErrorReportOptions } from './report-error';
export { attach, attachClient, restrict, type ViewConfig } from './request-view';
export type { AdapterOptions, Auth0View, SharedClientOptions, TenantConfig } from './types';
