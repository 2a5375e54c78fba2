/**
 * Jobs: users exports and users imports as Auth0 runs them — created `pending`, then `processing` with
 * `percentage_done`/`time_left_seconds`, then `completed` (an export gets a short-lived gzipped download
 * `location`, an import its `summary`) or `failed` when a failure was injected (admin `failJobs`).
 */
import { ApiProblem, badRequest, notFound } from '../http';
import { DEFAULT_EXPORT_FIELDS, exportFileText, MAX_EXPORT_FIELDS } from '../jobs/export-file';
import { downloadUrl, issueLink } from '../jobs/downloads';
import { takeFailure, type ExportField, type JobRecord, type JobType } from '../jobs/job-record';
import { jobProgress } from '../jobs/job-status';
import { parseUsersFile, runImport } from '../jobs/user-import';
import { randomAlnum } from '../rng';
import { isPlainObject } from '../state';
import { nowIso, type Tenant } from '../tenant';
import { body, logApi, publicUser } from './common';
import { ok, type HandlerTable, type OpRequest } from './types';

/** Auth0's limit on one import job's users file. */
const MAX_IMPORT_FILE = 500 * 1024;

function connectionById(tenant: Tenant, id: unknown) {
  if (id === undefined) return undefined;
  if (typeof id !== 'string') throw badRequest("Payload validation error: 'Expected type string' on property connection_id.");
  const found = tenant.state.connections.get(id);
  if (!found) throw badRequest(`The connection ${id} does not exist.`, 'inexistent_connection');
  return found;
}

function exportFields(value: unknown, format: 'csv' | 'json'): ExportField[] {
  if (value === undefined) return DEFAULT_EXPORT_FIELDS.map((f) => ({ ...f }));
  if (!Array.isArray(value) || value.length === 0) throw badRequest("Payload validation error: 'fields' must be a non-empty array of {name, export_as?}.");
  if (value.length > MAX_EXPORT_FIELDS) throw badRequest(`Payload validation error: 'fields' has ${value.length} items; at most ${MAX_EXPORT_FIELDS} can be exported.`);
  return value.map((f, i) => {
    if (!isPlainObject(f) || typeof f.name !== 'string' || f.name === '') throw badRequest(`Payload validation error: fields[${i}] needs a string "name".`);
    if (f.export_as !== undefined && typeof f.export_as !== 'string') throw badRequest(`Payload validation error: fields[${i}].export_as must be a string.`);
    if (format === 'csv' && (f.name === 'app_metadata' || f.name === 'user_metadata')) {
      throw badRequest(`Payload validation error: a CSV export cannot hold the whole ${f.name}; name its fields (${f.name}.plan) or use format json.`);
    }
    return { name: f.name, ...(f.export_as !== undefined ? { export_as: f.export_as as string } : {}) };
  });
}

function newJob(req: OpRequest, type: JobType, extra: Partial<JobRecord>): JobRecord {
  const settings = req.tenant.jobSettings;
  const now = req.tenant.clock.now();
  const failure = takeFailure(settings, type);
  const job: JobRecord = {
    id: `job_${randomAlnum(16)}`,
    type,
    created_at: nowIso(req.tenant),
    startsAt: now + settings.pendingMs,
    endsAt: now + settings.pendingMs + settings.processingMs,
    links: {},
    ...extra,
    ...(failure ? { failure } : {}),
  };
  req.tenant.state.jobs.set(job.id, job);
  return job;
}

/** The job as the API shows it (never the uploaded file or the export's text). */
function view(job: JobRecord): Record<string, unknown> {
  const { startsAt: _s, endsAt: _e, usersText: _u, failure: _f, result: _r, links: _l, ...shown } = job;
  return shown;
}

function finish(tenant: Tenant, job: JobRecord): NonNullable<JobRecord['result']> {
  if (job.result) return job.result;
  if (job.type === 'users_import') {
    job.result = runImport(tenant, job);
  } else {
    let users = [...tenant.state.users.values()];
    if (job.connection) users = users.filter((u) => u.identities.some((i) => i.connection === job.connection));
    if (job.limit !== undefined) users = users.slice(0, job.limit);
    job.result = { file: exportFileText(users.map(publicUser), job.fields ?? DEFAULT_EXPORT_FIELDS, job.format ?? 'csv') };
  }
  return job.result;
}

function findJob(req: OpRequest): JobRecord {
  const job = req.tenant.state.jobs.get(req.params.id!);
  if (!job) throw notFound('The job does not exist.', 'inexistent_job');
  return job;
}

export const jobsHandlers: HandlerTable = {
  'jobs.usersExports.create': (req) => {
    const b = body(req);
    const format = b.format ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw badRequest(`Payload validation error: 'No enum match for: "${String(format)}"' on property format (csv or json).`);
    if (b.limit !== undefined && !(Number.isInteger(b.limit) && (b.limit as number) >= 1)) throw badRequest("Payload validation error: 'limit' must be an integer of at least 1.");
    const connection = connectionById(req.tenant, b.connection_id);
    const job = newJob(req, 'users_export', {
      ...(connection ? { connection_id: connection.id, connection: connection.name } : {}),
      format,
      ...(b.limit !== undefined ? { limit: b.limit as number } : {}),
      fields: exportFields(b.fields, format),
    });
    logApi(req, 'Create a users export job');
    return ok({ ...view(job), status: 'pending' }, 201);
  },

  'jobs.usersImports.create': (req) => {
    const b = body(req);
    if (typeof b.users !== 'string') throw badRequest("Payload validation error: 'Missing required property: users' (a multipart file field).");
    if (b.users.length > MAX_IMPORT_FILE) throw new ApiProblem(413, `The users file is ${b.users.length} bytes; Auth0 takes at most 500 kB per import job: split it into several jobs.`, 'payload_too_large');
    if (b.connection_id === undefined) throw badRequest("Payload validation error: 'Missing required property: connection_id'.");
    const connection = connectionById(req.tenant, b.connection_id)!;
    if (connection.strategy !== 'auth0') throw new ApiProblem(400, `Connection ${connection.name} is not a database connection; users can only be imported into one.`, 'operation_not_supported');
    const parsed = parseUsersFile(b.users);
    if ('problem' in parsed) throw badRequest(parsed.problem);
    const flag = (v: unknown) => v === true || v === 'true';
    const job = newJob(req, 'users_import', {
      connection_id: connection.id,
      connection: connection.name,
      upsert: flag(b.upsert),
      send_completion_email: b.send_completion_email === undefined ? true : flag(b.send_completion_email),
      ...(typeof b.external_id === 'string' ? { external_id: b.external_id } : {}),
      usersText: b.users,
    });
    logApi(req, 'Create a users import job');
    return ok({ ...view(job), status: 'pending' }, 201);
  },

  'jobs.get': (req) => {
    const job = findJob(req);
    const progress = jobProgress(job, req.tenant.clock.now());
    const out: Record<string, unknown> = { ...view(job), ...progress };
    if (progress.status === 'completed') {
      const result = finish(req.tenant, job);
      if (job.type === 'users_export') out.location = downloadUrl(req.origin, req.tenant, job, issueLink(req.tenant, job));
      if (result.summary) out.summary = result.summary;
    }
    return ok(out);
  },

  'jobs.errors.get': (req) => {
    const job = findJob(req);
    const progress = jobProgress(job, req.tenant.clock.now());
    if (progress.status === 'failed') return ok([{ user: {}, errors: [{ code: 'JOB_FAILED', message: job.failure! }] }]);
    if (progress.status !== 'completed') return ok([]);
    return ok(finish(req.tenant, job).errors ?? []);
  },
};
