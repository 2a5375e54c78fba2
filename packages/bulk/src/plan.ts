/** The dry run: every call's scopes through the client's own decision, the expected duration, a better tool. */
import type { ManagementClient } from '@scopebound/management';
import type { BulkCall } from './call';
import type { LineProblem } from './errors';

export interface BulkPlan {
  readonly calls: number;
  /** One token is minted per scope set, narrowest set of each call first. */
  readonly scopeSets: readonly { scopes: readonly string[]; calls: number }[];
  /** Calls no allowed scope set authorises (with their lines). */
  readonly refused: readonly LineProblem[];
  /** The bucket's minimum: (calls + token requests − burst) / rate, ms. */
  readonly expectedMs: number;
  readonly importJob?: string;
}

export interface PlanOptions {
  readonly client: ManagementClient;
  /** The tenant's sustained Management API rate (requests/s) and burst. */
  readonly rate: number;
  readonly burst: number;
}

/** What the dry run counts to decide whether Auth0's users-import job fits better. */
export interface ImportJobStats {
  readonly calls: number;
  /** users.update calls whose body holds only app_metadata and/or user_metadata. */
  readonly metadataUpdates: number;
  /** ... of which the user id is a database user (`auth0|…`). */
  readonly databaseUsers: number;
}

export const IMPORT_JOB_MIN_CALLS = 1000;

/** A suggestion (never a switch) when every call is a metadata update of database users and there are many. */
export function importJobSuggestion(s: ImportJobStats): string | undefined {
  if (s.calls < IMPORT_JOB_MIN_CALLS || s.metadataUpdates !== s.calls || s.databaseUsers !== s.calls) return undefined;
  return [
    `All ${s.calls} calls set app_metadata/user_metadata on database users: Auth0's users-import job may fit better.`,
    '  One job per database connection (POST /api/v2/jobs/users-imports, multipart, with upsert=true; operation',
    '  jobs.usersImports.create, scope create:users) takes a file of users (up to 500 kB each) in one request',
    "  instead of one request per user. It needs each user's email and the connection id; read Auth0's docs on",
    '  how upsert treats existing metadata before using it. scopebound bulk does not switch to it: this run',
    '  sends the users.update calls as written unless you choose the job yourself.',
  ].join('\n');
}

const META_KEYS = new Set(['app_metadata', 'user_metadata']);

function isMetadataUpdate(call: BulkCall): boolean {
  const body = call.body;
  if (call.operation !== 'users.update' || typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  return keys.length > 0 && keys.every((k) => META_KEYS.has(k));
}

/** Decide the scopes of every call without sending anything. */
export async function planBulk(calls: AsyncIterable<BulkCall> | Iterable<BulkCall>, options: PlanOptions): Promise<BulkPlan> {
  const sets = new Map<string, { scopes: readonly string[]; calls: number }>();
  const refused: LineProblem[] = [];
  const stats = { calls: 0, metadataUpdates: 0, databaseUsers: 0 };
  for await (const call of calls) {
    stats.calls += 1;
    const line = call.line ?? stats.calls;
    if (isMetadataUpdate(call)) {
      stats.metadataUpdates += 1;
      if (String(call.params?.id ?? '').startsWith('auth0|')) stats.databaseUsers += 1;
    }
    let request: readonly string[] | undefined;
    try {
      request = options.client.scopesFor(call.operation as never, { params: call.params, body: call.body } as never).request;
    } catch (error) {
      refused.push({ line, message: (error as Error).message });
      continue;
    }
    if (!request) {
      refused.push({ line, message: `no scope set this client may use authorises ${call.operation} with this body (see \`scopebound scopes ${call.operation}\`)` });
      continue;
    }
    const key = [...request].sort().join(' ');
    const entry = sets.get(key) ?? { scopes: request, calls: 0 };
    entry.calls += 1;
    sets.set(key, entry);
  }
  const requests = stats.calls - refused.length + sets.size;
  const expectedMs = (Math.max(0, requests - options.burst) / options.rate) * 1000;
  const importJob = importJobSuggestion(stats);
  return { calls: stats.calls, scopeSets: [...sets.values()], refused, expectedMs, ...(importJob ? { importJob } : {}) };
}
