/** What every part of the core shares: configuration, state, keys, clock. One per emulator instance. */
import type { VirtualClock } from './clock';
import type { JobSettings } from './jobs/job-record';
import type { KeyRing } from './jwks';
import type { Principal } from './principal';
import type { LogRecord, TenantState } from './state';

export interface VerifiedToken {
  principal: Principal;
  /** `exp` in seconds, when the token has one. */
  exp?: number;
  kid?: string;
  /** The API secret an HS256 token verified under. */
  secret?: string;
}

export interface Tenant {
  readonly domain: string;
  /** `https://{domain}/` */
  readonly issuer: string;
  /** `https://{domain}/api/v2/` */
  readonly managementAudience: string;
  readonly clock: VirtualClock;
  readonly keys: KeyRing;
  state: TenantState;
  apiSecret: string;
  /** Audience of legacy signed-secret tokens (`aud: <global client id>`). */
  readonly globalClientId: string;
  /** Origins the HTTP host listens on, e.g. `http://127.0.0.1:4010`. */
  readonly listenOrigins: Set<string>;
  narrowScopes: boolean;
  tokenTtl: number;
  /** How jobs run (timing, download link lifetime, injected failures); set through the admin API. */
  readonly jobSettings: JobSettings;
  /** Verified bearer tokens (token → result), re-checked on every use for expiry, key, secret and blacklist. */
  readonly verifiedTokens: Map<string, VerifiedToken>;
  /** private_key_jwt assertion jti → expiry (ms), for replay refusal. */
  readonly assertionJtis: Map<string, number>;
  writeLog(entry: Omit<LogRecord, 'log_id' | 'date' | 'hostname'>): LogRecord;
}

/** Every audience the Management API answers to: the canonical one and one per listening origin. */
export function managementAudiences(tenant: Tenant): string[] {
  return [tenant.managementAudience, ...[...tenant.listenOrigins].map((o) => `${o}/api/v2/`)];
}

/** `managementAudiences(tenant).includes(audience)`, without building the list (checked on every cached token). */
export function isManagementAudience(tenant: Tenant, audience: string): boolean {
  if (audience === tenant.managementAudience) return true;
  return audience.endsWith('/api/v2/') && tenant.listenOrigins.has(audience.slice(0, -'/api/v2/'.length));
}

/** Map an accepted alias of a resource server identifier to its canonical identifier. */
export function canonicalAudience(tenant: Tenant, audience: string): string {
  for (const origin of tenant.listenOrigins) {
    if (audience === `${origin}/api/v2/` || audience === `${origin}/api/v2`) return tenant.managementAudience;
  }
  if (audience === tenant.managementAudience.slice(0, -1)) return tenant.managementAudience;
  return audience;
}

export function nowIso(tenant: Tenant): string {
  return new Date(tenant.clock.now()).toISOString();
}

export function writeLogFn(tenant: () => Tenant) {
  return (entry: Omit<LogRecord, 'log_id' | 'date' | 'hostname'>): LogRecord => {
    const t = tenant();
    t.state.logSeq += 1;
    const record = {
      ...entry,
      log_id: `900200${String(t.state.logSeq).padStart(20, '0')}`,
      date: nowIso(t),
      hostname: t.domain,
    } as LogRecord;
    t.state.logs.push(record);
    // Keep the log bounded.
    if (t.state.logs.length > 20_000) t.state.logs.splice(0, t.state.logs.length - 20_000);
    return record;
  };
}
