/**
 * Running a users import against the tenant: each user of the uploaded JSON array is inserted into the job's
 * connection, or — when a user with that email exists there — updated (`upsert: true`) or reported as a
 * duplicate. `send_completion_email` is accepted and ignored. Returns Auth0's summary and per-user errors.
 */
import { buildUser } from '../resources/users';
import { isPlainObject, type JsonObject } from '../state';
import { nowIso, type Tenant } from '../tenant';
import type { JobRecord, JobUserError } from './job-record';

/** Profile fields an upsert may overwrite (never user_id or identities). */
const UPDATABLE = ['email_verified', 'username', 'given_name', 'family_name', 'name', 'nickname', 'picture', 'blocked', 'app_metadata', 'user_metadata'];

/** The uploaded file as users, or a message saying why it is not an import file (checked when the job is created). */
export function parseUsersFile(text: string): { users: unknown[] } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'The users file is not valid JSON: it must be a JSON array of users (convert an NDJSON export first).' };
  }
  if (!Array.isArray(value)) return { problem: 'The users file must be a JSON array of users.' };
  if (value.length === 0) return { problem: 'The users file has no users.' };
  return { users: value };
}

function userProblem(user: unknown): JobUserError['errors'][number] | undefined {
  if (!isPlainObject(user)) return { code: 'INVALID_TYPE', message: 'Expected type object but found another type', path: '' };
  if (typeof user.email !== 'string' || !user.email.includes('@')) {
    return { code: 'OBJECT_MISSING_REQUIRED_PROPERTY', message: 'Missing required property: email', path: 'email' };
  }
  for (const key of ['app_metadata', 'user_metadata'] as const) {
    if (user[key] !== undefined && !isPlainObject(user[key])) return { code: 'INVALID_TYPE', message: `Expected type object for ${key}`, path: key };
  }
  return undefined;
}

export function runImport(tenant: Tenant, job: JobRecord): NonNullable<JobRecord['result']> {
  const parsed = parseUsersFile(job.usersText ?? '[]');
  const users = 'users' in parsed ? parsed.users : [];
  const connection = [...tenant.state.connections.values()].find((c) => c.id === job.connection_id);
  const errors: JobUserError[] = [];
  let inserted = 0;
  let updated = 0;
  for (const input of users) {
    const problem = userProblem(input) ?? (connection ? undefined : { code: 'CONNECTION_NOT_FOUND', message: 'The connection does not exist.' });
    if (problem) {
      errors.push({ user: isPlainObject(input) ? input : {}, errors: [problem] });
      continue;
    }
    const user = input as JsonObject;
    const email = (user.email as string).toLowerCase();
    const existing = [...tenant.state.users.values()].find((u) => u.email === email && u.identities.some((i) => i.connection === connection!.name));
    if (existing && !job.upsert) {
      errors.push({ user, errors: [{ code: 'DUPLICATED_USER', message: 'The user already exists and upsert is false.', path: 'email' }] });
    } else if (existing) {
      for (const key of UPDATABLE) if (user[key] !== undefined) existing[key] = user[key];
      existing.updated_at = nowIso(tenant);
      updated += 1;
    } else {
      const record = buildUser(tenant, { ...user, email }, connection!);
      tenant.state.users.set(record.user_id, record);
      inserted += 1;
    }
  }
  return { summary: { failed: errors.length, updated, inserted, total: users.length }, errors };
}
