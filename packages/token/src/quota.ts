/**
 * Auth0's token quota headers.
 * `auth0-client-quota-limit: b=per_hour;q=100;r=99;t=3600,b=per_day;q=1000;r=999;t=86400`
 */

export interface QuotaLimit {
  /** Which header: the client's quota or the organization's. */
  readonly scope: 'client' | 'organization';
  /** The bucket, e.g. `per_hour` or `per_day`. */
  readonly bucket: string;
  /** The quota of the bucket. */
  readonly quota: number;
  /** What remains of it. */
  readonly remaining: number;
  /** Seconds until the bucket resets. */
  readonly resetSeconds: number;
}

export function parseQuotaHeader(value: string | null | undefined, scope: QuotaLimit['scope']): QuotaLimit[] {
  if (!value) return [];
  const out: QuotaLimit[] = [];
  for (const part of value.split(',').slice(0, 8)) {
    const fields = new Map<string, string>();
    for (const kv of part.split(';')) {
      const eq = kv.indexOf('=');
      if (eq > 0) fields.set(kv.slice(0, eq).trim(), kv.slice(eq + 1).trim());
    }
    const bucket = fields.get('b');
    const quota = Number(fields.get('q'));
    const remaining = Number(fields.get('r'));
    const resetSeconds = Number(fields.get('t'));
    if (!bucket || !Number.isFinite(quota) || !Number.isFinite(remaining)) continue;
    out.push({ scope, bucket, quota, remaining, resetSeconds: Number.isFinite(resetSeconds) ? resetSeconds : 0 });
  }
  return out;
}

export function quotaFromHeaders(headers: Headers): QuotaLimit[] {
  return [
    ...parseQuotaHeader(headers.get('auth0-client-quota-limit'), 'client'),
    ...parseQuotaHeader(headers.get('auth0-organization-quota-limit'), 'organization'),
  ];
}
