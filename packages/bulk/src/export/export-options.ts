/**
 * `exportUsers` options, validated once before anything is sent: the format, the fields (known user profile
 * attributes or metadata/identity paths, at most 30, no whole metadata object in CSV), the limit, the
 * connection id, the job to resume and a writable output path.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { closestNames } from '@scopebound/token';
import { BulkOptionError } from '../errors';

export type ExportFormat = 'jsonl' | 'csv';

/** A field to export: a name (a path such as `user_metadata.country`) and the column/key it is exported as. */
export interface ExportFieldSpec {
  readonly name: string;
  readonly exportAs?: string;
}

export interface ExportOptionsInput {
  readonly format?: ExportFormat;
  readonly fields?: readonly (string | ExportFieldSpec)[];
  readonly connectionId?: string;
  readonly limit?: number;
  readonly out?: string;
  readonly job?: string;
  readonly pollIntervalMs?: number;
}

export interface ResolvedExportOptions {
  /** Undefined when resuming a job and not given: the job's own format is used. */
  readonly format?: ExportFormat;
  readonly fields?: readonly ExportFieldSpec[];
  readonly connectionId?: string;
  readonly limit?: number;
  /** Absolute path. */
  readonly out?: string;
  readonly job?: string;
  readonly pollIntervalMs: number;
}

/** Root attributes of an Auth0 user profile that an export can name. */
export const USER_EXPORT_ATTRIBUTES: readonly string[] = Object.freeze([
  'user_id', 'email', 'email_verified', 'username', 'phone_number', 'phone_verified', 'name', 'nickname', 'given_name',
  'family_name', 'picture', 'locale', 'blocked', 'created_at', 'updated_at', 'last_login', 'last_ip', 'last_password_reset',
  'logins_count', 'multifactor', 'identities', 'app_metadata', 'user_metadata',
]);

export const MAX_EXPORT_FIELDS = 30;

/** Why `name` is not an exportable field, or undefined when it is. */
export function fieldProblem(name: string, format: ExportFormat | undefined): string | undefined {
  if (/^(app_metadata|user_metadata)\.[^.\s][^\s]*$/.test(name)) return undefined;
  if (/^identities\[\d+\]\.(connection|provider|user_id|isSocial)$/.test(name)) return undefined;
  if (!USER_EXPORT_ATTRIBUTES.includes(name)) {
    const near = closestNames(name, USER_EXPORT_ATTRIBUTES);
    return `unknown field "${name}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; use a user profile attribute (${USER_EXPORT_ATTRIBUTES.slice(0, 6).join(', ')}, …), app_metadata.KEY, user_metadata.KEY or identities[0].connection`;
  }
  if (format === 'csv' && (name === 'app_metadata' || name === 'user_metadata')) {
    return `a CSV export cannot hold the whole ${name}; name its keys (${name}.plan) or use --format jsonl`;
  }
  return undefined;
}

/** `user_id,email,user_metadata.country=country` → field specs (the CLI's `--fields`). */
export function parseFieldList(text: string): ExportFieldSpec[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const [name, exportAs] = s.split('=').map((p) => p.trim());
    return { name: name!, ...(exportAs ? { exportAs } : {}) };
  });
}

function checkOut(out: string): string {
  const path = resolve(out);
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // Absent: the directory must exist and be writable.
  }
  if (isDir) throw new BulkOptionError('out', `${out} is a directory; give a file path such as ${out.replace(/\/$/, '')}/users.jsonl`);
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch {
    throw new BulkOptionError('out', `cannot write to ${dirname(path)} (missing or not writable); choose another --out path`);
  }
  return path;
}

export function resolveExportOptions(input: ExportOptionsInput): ResolvedExportOptions {
  const { format, limit, connectionId, job } = input;
  if (format !== undefined && format !== 'jsonl' && format !== 'csv') throw new BulkOptionError('format', `must be jsonl or csv (got ${String(format)})`);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) throw new BulkOptionError('limit', 'must be a positive integer');
  if (connectionId !== undefined && !/^con_[A-Za-z0-9]{16}$/.test(connectionId)) throw new BulkOptionError('connectionId', `"${connectionId}" is not a connection id (con_ followed by 16 letters or digits)`);
  if (job !== undefined && !/^job_[A-Za-z0-9]+$/.test(job)) throw new BulkOptionError('job', `"${job}" is not a job id (job_…); it is printed when an export starts`);
  const pollIntervalMs = input.pollIntervalMs ?? 2_000;
  if (!(Number.isFinite(pollIntervalMs) && pollIntervalMs >= 10 && pollIntervalMs <= 600_000)) throw new BulkOptionError('pollIntervalMs', 'must be between 10 and 600000 ms');
  let fields: ExportFieldSpec[] | undefined;
  if (input.fields !== undefined) {
    fields = input.fields.map((f) => (typeof f === 'string' ? { name: f } : f));
    if (fields.length === 0) throw new BulkOptionError('fields', 'name at least one field, or leave it out for the default set');
    if (fields.length > MAX_EXPORT_FIELDS) throw new BulkOptionError('fields', `${fields.length} fields; Auth0 exports at most ${MAX_EXPORT_FIELDS}`);
    for (const f of fields) {
      const problem = fieldProblem(f.name, format ?? 'jsonl');
      if (problem) throw new BulkOptionError('fields', problem);
    }
    if (job !== undefined) throw new BulkOptionError('fields', 'a resumed job (--job) keeps the fields it was created with; drop --fields');
  }
  if (job !== undefined && (limit !== undefined || connectionId !== undefined)) throw new BulkOptionError('job', 'a resumed job keeps its own limit and connection; drop --limit/--connection');
  return {
    ...(format ? { format } : {}),
    ...(fields ? { fields } : {}),
    ...(connectionId ? { connectionId } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(input.out !== undefined ? { out: checkOut(input.out) } : {}),
    ...(job ? { job } : {}),
    pollIntervalMs,
  };
}
