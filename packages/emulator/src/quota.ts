/** Token quotas per client (`auth0-client-quota-limit`): fixed hourly and daily windows on the tenant clock. */
import type { Clock } from './clock';
import type { ClientRecord } from './state';

export interface QuotaLimits {
  perHour?: number;
  perDay?: number;
}

interface Counter {
  hour: number;
  hourCount: number;
  day: number;
  dayCount: number;
}

export interface QuotaDecision {
  allowed: boolean;
  /** The `auth0-client-quota-limit` header value, when a quota applies. */
  header?: string;
  exhausted?: 'per_hour' | 'per_day';
  retryAfterSeconds?: number;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface QuotaTracker {
  check(client: ClientRecord): QuotaDecision;
  reset(): void;
  setDefault(limits: QuotaLimits | undefined): void;
}

export function limitsFor(client: ClientRecord, fallback: QuotaLimits | undefined): QuotaLimits | undefined {
  const own = client.token_quota?.client_credentials;
  if (own && own.enforce !== false) {
    return { ...(own.per_hour !== undefined ? { perHour: own.per_hour } : {}), ...(own.per_day !== undefined ? { perDay: own.per_day } : {}) };
  }
  return fallback;
}

export function createQuotaTracker(clock: Clock, initial: QuotaLimits | undefined): QuotaTracker {
  let fallback = initial;
  const counters = new Map<string, Counter>();
  return {
    setDefault(limits) {
      fallback = limits;
    },
    reset() {
      counters.clear();
    },
    check(client) {
      const limits = limitsFor(client, fallback);
      if (!limits || (limits.perHour === undefined && limits.perDay === undefined)) return { allowed: true };
      const now = clock.now();
      const hour = Math.floor(now / HOUR);
      const day = Math.floor(now / DAY);
      let c = counters.get(client.client_id);
      if (!c) {
        c = { hour, hourCount: 0, day, dayCount: 0 };
        counters.set(client.client_id, c);
      }
      if (c.hour !== hour) {
        c.hour = hour;
        c.hourCount = 0;
      }
      if (c.day !== day) {
        c.day = day;
        c.dayCount = 0;
      }
      const hourReset = Math.ceil(((hour + 1) * HOUR - now) / 1000);
      const dayReset = Math.ceil(((day + 1) * DAY - now) / 1000);
      let exhausted: QuotaDecision['exhausted'];
      if (limits.perHour !== undefined && c.hourCount >= limits.perHour) exhausted = 'per_hour';
      else if (limits.perDay !== undefined && c.dayCount >= limits.perDay) exhausted = 'per_day';
      if (!exhausted) {
        c.hourCount += 1;
        c.dayCount += 1;
      }
      const parts: string[] = [];
      if (limits.perHour !== undefined) parts.push(`b=per_hour;q=${limits.perHour};r=${Math.max(0, limits.perHour - c.hourCount)};t=${hourReset}`);
      if (limits.perDay !== undefined) parts.push(`b=per_day;q=${limits.perDay};r=${Math.max(0, limits.perDay - c.dayCount)};t=${dayReset}`);
      return {
        allowed: !exhausted,
        header: parts.join(','),
        ...(exhausted ? { exhausted, retryAfterSeconds: exhausted === 'per_hour' ? hourReset : dayReset } : {}),
      };
    },
  };
}
