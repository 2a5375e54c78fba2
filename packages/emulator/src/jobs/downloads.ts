/**
 * Export downloads: each `GET /jobs/{id}` of a completed export hands out a fresh link that lives
 * `downloadTtlMs` on the tenant clock (Auth0's are signed URLs that expire); the link serves the file gzipped,
 * without a bearer token, and refuses once expired.
 */
import { gzipSync } from 'node:zlib';
import { apiError } from '../http';
import { randomAlnum } from '../rng';
import type { Tenant } from '../tenant';
import type { JobRecord } from './job-record';

export const DOWNLOAD_PREFIX = '/__exports/';

/** A new link token for `job`, recorded with its expiry (expired ones are dropped). */
export function issueLink(tenant: Tenant, job: JobRecord): string {
  const now = tenant.clock.now();
  for (const [token, expires] of Object.entries(job.links)) if (expires <= now) delete job.links[token];
  const token = randomAlnum(32);
  job.links[token] = now + tenant.jobSettings.downloadTtlMs;
  return token;
}

export function downloadUrl(origin: string, tenant: Tenant, job: JobRecord, token: string): string {
  return `${origin}${DOWNLOAD_PREFIX}${job.id}/${token}/${encodeURIComponent(tenant.domain)}.${job.format === 'json' ? 'json' : 'csv'}.gz`;
}

/** Answer `GET /__exports/{job}/{token}/{file}`. */
export function handleDownload(tenant: Tenant, method: string, path: string): Response {
  const m = /^\/__exports\/([^/]+)\/([^/]+)\/[^/]+$/.exec(path);
  if (method !== 'GET' || !m) return apiError(404, 'Not Found', 'not_found');
  const job = tenant.state.jobs.get(m[1]!);
  const expires = job?.links[m[2]!];
  if (!job || expires === undefined || !job.result?.file) return apiError(404, 'No such export file.', 'not_found');
  if (tenant.clock.now() >= expires) {
    return apiError(403, `The download link has expired: GET /api/v2/jobs/${job.id} again for a fresh location.`, 'link_expired');
  }
  return new Response(gzipSync(job.result.file), { status: 200, headers: { 'content-type': 'application/gzip', 'content-disposition': 'attachment' } });
}
