// exportUsers against the emulator over real HTTP: rows and files in both formats checked against the seeded
// users, least-privileged tokens, validation before anything is sent, transient poll failures ridden out,
// expired links refreshed, failed jobs reported, resuming an existing job, and no half-written file.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ManagementEvent } from '@scopebound/management';
import { BulkOptionError, ExportDownloadError, ExportJobFailedError, exportUsers, type ExportProgress } from '../src/index';
import { exportTenant, GITHUB_CONNECTION } from './export-tenant';

let env: Awaited<ReturnType<typeof exportTenant>> | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const tempDir = () => mkdtempSync(join(tmpdir(), 'scopebound-export-'));
const jobRequests = () => env!.tenant.journal.list().filter((e) => e.operation?.startsWith('jobs.'));

describe('exportUsers', () => {
  it('returns JSON-lines rows of every user, with least-privileged tokens (read:users) and progress through each phase', async () => {
    env = await exportTenant(5);
    await env.tenant.admin.setJobTiming({ processingMs: 2_500 });
    const events: ManagementEvent[] = [];
    const client = env.client((e) => events.push(e));
    const progress: ExportProgress[] = [];
    let announced: string | undefined;
    const result = await exportUsers(client, {
      fields: ['user_id', 'email', 'app_metadata'], pollIntervalMs: 30, onProgress: (p) => progress.push(p), onJob: (id) => (announced = id),
    });
    await client.close();
    expect(result.jobId).toBe(announced);
    expect(result.format).toBe('jsonl');
    expect(result.count).toBe(6);
    expect(result.rows).toEqual([
      ...env.seeded.map((u) => ({ user_id: u.user_id, email: u.email, app_metadata: u.app_metadata })),
      { user_id: 'github|gh1', email: 'gh@example.com' },
    ]);
    const scopes = new Set(events.filter((e) => e.type === 'request').map((e) => (e as { scopes: readonly string[] }).scopes.join(' ')));
    expect([...scopes]).toEqual(['read:users']);
    const phases = progress.map((p) => p.phase);
    expect(phases[0]).toBe('pending');
    expect(phases).toContain('processing');
    expect(phases.at(-1)).toBe('done');
    expect(progress.at(-1)).toMatchObject({ rows: 6 });
  });

  it('writes CSV to a file (mode 0600) scoped to a connection, with quoting intact', async () => {
    env = await exportTenant(3);
    const client = env.client();
    const out = join(tempDir(), 'users.csv');
    const result = await exportUsers(client, { format: 'csv', fields: ['user_id', 'name', { name: 'app_metadata.plan', exportAs: 'plan' }], out, pollIntervalMs: 30 });
    const gh = await exportUsers(client, { format: 'csv', fields: ['user_id'], connectionId: GITHUB_CONNECTION, pollIntervalMs: 30 });
    await client.close();
    expect(result).toMatchObject({ count: 4, out, format: 'csv' });
    expect(result.rows).toBeUndefined();
    expect(readFileSync(out, 'utf8')).toBe('user_id,name,plan\nauth0|exp0000,"Zoë ""Zed"", Jr.",pro\nauth0|exp0001,User 1,free\nauth0|exp0002,User 2,pro\ngithub|gh1,Hub,\n');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(gh.rows).toEqual([{ user_id: 'github|gh1' }]);
  });

  it('refuses bad input before anything is sent', async () => {
    env = await exportTenant(1);
    const client = env.client();
    const dir = tempDir();
    await expect(exportUsers(client, { fields: ['user_id', 'emial'] })).rejects.toThrow(/unknown field "emial" \(did you mean email/);
    await expect(exportUsers(client, { format: 'xml' as never })).rejects.toThrow(BulkOptionError);
    await expect(exportUsers(client, { format: 'csv', fields: ['user_metadata'] })).rejects.toThrow(/CSV export cannot hold the whole user_metadata/);
    await expect(exportUsers(client, { out: join(dir, 'missing', 'users.jsonl') })).rejects.toThrow(/cannot write to .*missing/);
    await expect(exportUsers(client, { out: dir })).rejects.toThrow(/is a directory/);
    await expect(exportUsers(client, { job: 'nope' })).rejects.toThrow(/not a job id/);
    await client.close();
    expect(env.tenant.journal.list()).toHaveLength(0);
  });

  it('rides out 503s and 429s while polling, and fetches a fresh link when one has expired', async () => {
    env = await exportTenant(2);
    await env.tenant.admin.addFault({ match: { operation: 'jobs.get' }, status: 503, times: 7 });
    await env.tenant.admin.addFault({ match: { operation: 'jobs.get' }, status: 429, headers: { 'retry-after': '0' }, times: 2 });
    // The first download link is refused as expired (a 403 from the storage URL), the next one works.
    await env.tenant.admin.addFault({ match: { path: '/__exports/' }, status: 403, times: 1 });
    const client = env.client();
    const result = await exportUsers(client, { fields: ['user_id'], pollIntervalMs: 20 });
    await client.close();
    expect(result.rows).toEqual([{ user_id: 'auth0|exp0000' }, { user_id: 'auth0|exp0001' }, { user_id: 'github|gh1' }]);
    const statuses = jobRequests().filter((e) => e.operation === 'jobs.get').map((e) => e.status);
    expect(statuses.filter((s) => s === 503)).toHaveLength(7);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    expect(env.tenant.journal.list().filter((e) => e.path.startsWith('/__exports/')).map((e) => e.status)).toEqual([403, 200]);
  });

  it('reports a failed job with the tenant summary and writes nothing', async () => {
    env = await exportTenant(2);
    await env.tenant.admin.failJobs({ message: 'Export storage unavailable.' });
    const client = env.client();
    const out = join(tempDir(), 'users.jsonl');
    const failure = await exportUsers(client, { out, pollIntervalMs: 20 }).catch((e: unknown) => e);
    await client.close();
    expect(failure).toBeInstanceOf(ExportJobFailedError);
    expect((failure as ExportJobFailedError).code).toBe('ERR_EXPORT_JOB_FAILED');
    expect((failure as Error).message).toMatch(/Export job job_\w+ failed on the tenant: Export storage unavailable\. Nothing was written\. Start a new export/);
    expect(existsSync(out)).toBe(false);
  });

  it('resumes an existing job without creating another, in the job format', async () => {
    env = await exportTenant(2);
    const client = env.client();
    const created = (await client.jobs.usersExports.create({ format: 'csv', fields: [{ name: 'email' }] })) as { id: string };
    const result = await exportUsers(client, { job: created.id, pollIntervalMs: 20 });
    await expect(exportUsers(client, { job: created.id, format: 'jsonl' })).rejects.toThrow(/exports csv; drop --format/);
    await client.close();
    expect(result).toMatchObject({ jobId: created.id, format: 'csv', count: 3 });
    expect(result.rows).toEqual([{ email: 'exp0@example.com' }, { email: 'exp1@example.com' }, { email: 'gh@example.com' }]);
    expect(jobRequests().filter((e) => e.operation === 'jobs.usersExports.create')).toHaveLength(1);
  });

  it('leaves an existing file untouched when the download fails every time', async () => {
    env = await exportTenant(1);
    await env.tenant.admin.addFault({ match: { path: '/__exports/' }, status: 500 });
    const dir = tempDir();
    const out = join(dir, 'users.jsonl');
    writeFileSync(out, 'previous export\n');
    const client = env.client();
    const failure = await exportUsers(client, { out, pollIntervalMs: 20 }).catch((e: unknown) => e);
    await client.close();
    expect(failure).toBeInstanceOf(ExportDownloadError);
    expect((failure as Error).message).toMatch(/HTTP 500.*Rerun with --job job_/);
    expect(readFileSync(out, 'utf8')).toBe('previous export\n');
    expect(readdirSync(dir)).toEqual(['users.jsonl']);
  });
});
