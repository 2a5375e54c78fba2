/** What test/hono-workerd.ts and the conformance worker (hono-conformance-worker.ts) exchange: the worker's config and its report headers (a worker module may export only handlers). */
export interface CredentialWire {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Absent: one credential whose grants are unknown (the tenant decides what it grants). */
  readonly grants?: readonly string[];
}

/** Where one tenant is, as the worker reaches it (real HTTP to 127.0.0.1). */
export interface TenantWire {
  readonly baseUrl: string;
  readonly audience: string;
  /** A pool, or one credential. */
  readonly credentials: readonly CredentialWire[] | CredentialWire;
}

export interface WorkerConfig {
  /** Single-tenant apps. */
  readonly tenant?: TenantWire;
  /** Multi-tenant apps: POST the request's headers here, get a TenantWire (or `{status, message}` to refuse). */
  readonly directory?: string;
  /** The JSON part of the suite's options (allowScopes, requireAllowScopes, retry, maxTenants, …). */
  readonly shared: Record<string, unknown>;
  /** The error handler's fixed clock, when the suite gave one. */
  readonly clock?: number;
  /** The suite gave a logger and no onError: the worker logs into LOGS_HEADER for the harness to replay. */
  readonly log?: boolean;
}

/** The log lines the worker's logger took since the last response (URI-encoded JSON). */
export const LOGS_HEADER = 'x-conformance-logs';
export interface LogLineWire {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** Response headers the harness reads to answer `middleware.tenants` and count `onError` calls. */
export const TENANTS_HEADER = 'x-conformance-tenants';
export const ERRORS_HEADER = 'x-conformance-errors';
/** The runtime that answered (`navigator.userAgent`: 'Cloudflare-Workers' inside workerd); passed through to the caller. */
export const RUNTIME_HEADER = 'x-conformance-runtime';
