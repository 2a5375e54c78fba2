// Users export and import jobs over real HTTP: the pending → processing → completed|failed timeline on the
// tenant clock, gzipped CSV / JSON-lines downloads that expire, connection scoping, limits, injected failures,
// and multipart imports with upsert and per-user errors.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { call, harness, tokenFor } from './helpers';

const CLIENT = { clientId: 'jobs-app', clientSecret: 'jobs-app-secret-0123456' };
const users = [
  { user_id: 'auth0|u1', email: 'ann@example.com', name: 'Ann, "A"', user_metadata: { country: 'NZ' }, app_metadata: { plan: 'pro' } },
  { user_id: 'auth0|u2', email: 'bob@example.com', name: 'Bob', user_metadata: { country: 'FR' } },
  { user_id: 'github|u3', email: 'cy@example.com', name: 'Cy', connection: 'github' },
];

async function setup() {
  const h = await harness('http', {
    seed: { connections: [{ id: 'con_github000000000001', name: 'github', strategy: 'github' }], users },
    clients: [{ ...CLIENT, grants: ['read:users', 'create:users', 'read:connections'] }],
  });
  // Long enough that the real time a loaded machine spends between calls never moves a job on: the tests move
  // the tenant clock.
  await h.em.admin.setJobTiming({ pendingMs: 10_000, processingMs: 100_000 });
  const token = await tokenFor(h.send, CLIENT.clientId, CLIENT.clientSecret, h.audience);
  const connections = (await call(h.send, token, 'GET', '/api/v2/connections')).body as { id: string; name: string }[];
  const database = connections.find((c) => c.name === 'Username-Password-Authentication')!.id;
  return { ...h, token, database };
}

async function download(location: string): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(location);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, text: res.status === 200 ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8'), type: res.headers.get('content-type') };
}

describe('users export jobs', async () => {
  const h = await setup();

  it('moves pending → processing (percentage, time left) → completed, on the tenant clock', async () => {
    const created = await call(h.send, h.token, 'POST', '/api/v2/jobs/users-exports', { format: 'csv', fields: [{ name: 'user_id' }] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'users_export', status: 'pending', format: 'csv', fields: [{ name: 'user_id' }] });
    expect(created.body.id).toMatch(/^job_/);
    const path = `/api/v2/jobs/${created.body.id}`;
    expect((await call(h.send, h.token, 'GET', path)).body.status).toBe('pending');
    await h.em.admin.advanceClock(60_000);
    const processing = (await call(h.send, h.token, 'GET', path)).body;
    expect(processing).toMatchObject({ status: 'processing', percentage_done: 50, time_left_seconds: 50 });
    expect(processing.location).toBeUndefined();
    await h.em.admin.advanceClock(50_000);
    const done = (await call(h.send, h.token, 'GET', path)).body;
    expect(done.status).toBe('completed');
    expect(done.location).toMatch(new RegExp(`^${h.url}/__exports/${created.body.id}/`));
  });

  it('serves CSV with quoting and metadata paths, and JSON lines with whole objects, gzipped', async () => {
    const fields = [{ name: 'user_id' }, { name: 'name' }, { name: 'user_metadata.country', export_as: 'country' }, { name: 'identities[0].connection', export_as: 'provider' }];
    const csv = await call(h.send, h.token, 'POST', '/api/v2/jobs/users-exports', { format: 'csv', fields });
    const json = await call(h.send, h.token, 'POST', '/api/v2/jobs/users-exports', { format: 'json', fields: [{ name: 'email' }, { name: 'app_metadata' }] });
    await h.em.admin.advanceClock(111_000);
    const csvFile = await download((await call(h.send, h.token, 'GET', `/api/v2/jobs/${csv.body.id}`)).body.location);
    expect(csvFile.type).toBe('application/gzip');
    expect(csvFile.text.split('\n')).toEqual([
      'user_id,name,country,provider',
      'auth0|u1,"Ann, ""A""",NZ,Username-Password-Authentication',
      'auth0|u2,Bob,FR,Username-Password-Authentication',
      'github|u3,Cy,,github',
      '',
    ]);
    const jsonFile = await download((await call(h.send, h.token, 'GET', `/api/v2/jobs/${json.body.id}`)).body.location);
    expect(jsonFile.text.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { email: 'ann@example.com', app_metadata: { plan: 'pro' } },
      { email: 'bob@example.com' },
      { email: 'cy@example.com' },
    ]);
  });

  it('scopes the export to connection_id and honours limit', async () => {
    const github = await call(h.send, h.token, 'POST', '/api/v2/jobs/users-exports', { format: 'json', connection_id: 'con_github000000000001', fields: [{ name: 'user_id' }] });
    expect(github.body).toMatchObject({ connection_id: 'con_github000000000001', connection: 'github' });
    const limited = await call(h.send, h.token, 'POST', '/api/v2/jobs/users-exports', { format: 'json', limit: 1, fields: [{ name: 'user_id' }] });
    await h.em.admin.advanceClock(111_000);
    const rows = async (id: string) => (await download((await call(h.send, h.token, 'GET', `/api/v2/jobs/${id}`)).body.location)).text.trim().split('\n');
    expect(await rows(github.body.id)).toEqual(['{"user_id":"github|u3"}']);
    expect(await rows(limited.body.id)).toEqual(['{"user_id":"auth0|u1"}']);
  });

  it('download links expire; a fresh GET of the job hands out a new one', async () => {
    const job = await call(h.send, h.token, 'POST', '/api/v2/jobs/users-exports', { format: 'json', fields: [{ name: 'user_id' }] });
    await h.em.admin.advanceClock(111_000);
    const first = (await call(h.send, h.token, 'GET', `/api/v2/jobs/${job.body.id}`)).body.location as string;
    expect((await download(first)).status).toBe(200);
    await h.em.admin.advanceClock(60_000);
    const expired = await download(first);
    expect(expired.status).toBe(403);
    expect(JSON.parse(expired.text).errorCode).toBe('link_expired');
    const second = (await call(h.send, h.token, 'GET', `/api/v2/jobs/${job.body.id}`)).body.location as string;
    expect(second).not.toBe(first);
    expect((await download(second)).status).toBe(200);
  });

  it('refuses bad bodies before creating a job', async () => {
    const bad = async (body: unknown) => (await call(h.send, h.token, 'POST', '/api/v2/jobs/users-exports', body)).body.message as string;
    expect(await bad({ format: 'xml' })).toMatch(/No enum match for: "xml"/);
    expect(await bad({ format: 'csv', fields: [{ name: 'app_metadata' }] })).toMatch(/CSV export cannot hold the whole app_metadata/);
    expect(await bad({ fields: Array.from({ length: 31 }, (_, i) => ({ name: `user_metadata.f${i}` })) })).toMatch(/at most 30/);
    expect(await bad({ connection_id: 'con_nope000000000000' })).toMatch(/connection con_nope000000000000 does not exist/);
    expect(await bad({ limit: 0 })).toMatch(/limit/);
  });

  it('fails the next job when a failure is injected; GET /jobs/{id}/errors says why', async () => {
    await h.em.admin.failJobs({ type: 'users_export', message: 'Export storage unavailable.', times: 1 });
    const failing = await call(h.send, h.token, 'POST', '/api/v2/jobs/users-exports', { format: 'json' });
    const next = await call(h.send, h.token, 'POST', '/api/v2/jobs/users-exports', { format: 'json' });
    await h.em.admin.advanceClock(111_000);
    const failed = (await call(h.send, h.token, 'GET', `/api/v2/jobs/${failing.body.id}`)).body;
    expect(failed.status).toBe('failed');
    expect(failed.location).toBeUndefined();
    expect((await call(h.send, h.token, 'GET', `/api/v2/jobs/${failing.body.id}/errors`)).body).toEqual([{ user: {}, errors: [{ code: 'JOB_FAILED', message: 'Export storage unavailable.' }] }]);
    expect((await call(h.send, h.token, 'GET', `/api/v2/jobs/${next.body.id}`)).body.status).toBe('completed');
    expect((await call(h.send, h.token, 'GET', '/api/v2/jobs/job_nope')).status).toBe(404);
  });

  it('the admin API over HTTP sets timing and injects failures (loopback)', async () => {
    const put = await fetch(`${h.url}/__admin/jobs`, { method: 'PUT', body: JSON.stringify({ processingMs: -1 }) });
    expect(put.status).toBe(400);
    expect(await put.text()).toMatch(/processingMs: must be milliseconds/);
    expect((await fetch(`${h.url}/__admin/jobs/failures`, { method: 'POST', body: JSON.stringify({ type: 'users_export' }) })).status).toBe(204);
    const job = await call(h.send, h.token, 'POST', '/api/v2/jobs/users-exports', {});
    await h.em.admin.advanceClock(111_000);
    expect((await call(h.send, h.token, 'GET', `/api/v2/jobs/${job.body.id}`)).body.status).toBe('failed');
  });
});

describe('users import jobs', async () => {
  const h = await setup();
  const upload = (file: unknown, fields: Record<string, string>) => {
    const form = new FormData();
    form.set('users', new Blob([typeof file === 'string' ? file : JSON.stringify(file)], { type: 'application/json' }), 'users.json');
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    return fetch(`${h.url}/api/v2/jobs/users-imports`, { method: 'POST', headers: { authorization: `Bearer ${h.token}` }, body: form });
  };

  it('inserts new users, reports duplicates without upsert, and lists per-user errors', async () => {
    const res = await upload([{ email: 'new@example.com', name: 'New' }, { email: 'ANN@example.com', name: 'Ann again' }, { name: 'no email' }], {
      connection_id: h.database, send_completion_email: 'false', external_id: 'batch-1',
    });
    expect(res.status).toBe(201);
    const job = (await res.json()) as { id: string; status: string; type: string; external_id: string };
    expect(job).toMatchObject({ status: 'pending', type: 'users_import', external_id: 'batch-1', connection: 'Username-Password-Authentication' });
    await h.em.admin.advanceClock(111_000);
    const done = (await call(h.send, h.token, 'GET', `/api/v2/jobs/${job.id}`)).body;
    expect(done).toMatchObject({ status: 'completed', summary: { failed: 2, updated: 0, inserted: 1, total: 3 } });
    const errors = (await call(h.send, h.token, 'GET', `/api/v2/jobs/${job.id}/errors`)).body as { errors: { code: string }[] }[];
    expect(errors.map((e) => e.errors[0]!.code)).toEqual(['DUPLICATED_USER', 'OBJECT_MISSING_REQUIRED_PROPERTY']);
    const found = (await call(h.send, h.token, 'GET', `/api/v2/users-by-email?email=new%40example.com`)).body as { name: string }[];
    expect(found.map((u) => u.name)).toEqual(['New']);
  });

  it('upsert updates the existing user', async () => {
    const res = await upload([{ email: 'bob@example.com', name: 'Robert', user_metadata: { country: 'BE' } }], { connection_id: h.database, upsert: 'true' });
    const job = (await res.json()) as { id: string };
    await h.em.admin.advanceClock(111_000);
    expect((await call(h.send, h.token, 'GET', `/api/v2/jobs/${job.id}`)).body.summary).toEqual({ failed: 0, updated: 1, inserted: 0, total: 1 });
    const bob = (await call(h.send, h.token, 'GET', '/api/v2/users/auth0%7Cu2')).body;
    expect(bob).toMatchObject({ name: 'Robert', user_metadata: { country: 'BE' } });
  });

  it('refuses a file that is not a JSON array, a missing connection and a social connection', async () => {
    expect(await (await upload('{"email":"x@example.com"}', { connection_id: h.database })).json()).toMatchObject({ statusCode: 400, message: expect.stringMatching(/JSON array/) });
    expect((await upload([{ email: 'x@example.com' }], {})).status).toBe(400);
    expect(await (await upload([{ email: 'x@example.com' }], { connection_id: 'con_github000000000001' })).json()).toMatchObject({ errorCode: 'operation_not_supported' });
    const big = Array.from({ length: 6_000 }, (_, i) => ({ email: `user${i}@example.com`, name: 'x'.repeat(80) }));
    const tooLarge = await upload(big, { connection_id: h.database });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { message: string }).message).toMatch(/at most 500 kB per import job/);
  });
});
