/** Tenant logs: written for the tenant's own activity (token exchanges, API writes); both pagination kinds. */
import { notFound } from '../http';
import { paginate, project, queryError, usesCheckpoint } from '../paginate';
import type { LogRecord } from '../state';
import { ok, type HandlerTable } from './types';

/** `search`: space-separated `field:value` terms (all must match), e.g. `type:seccft client_id:abc`. */
function compileSearch(search: string | null): (log: LogRecord) => boolean {
  if (!search) return () => true;
  const terms = search.split(/\s+(?:AND\s+)?/).filter(Boolean).map((t) => {
    const m = /^([A-Za-z0-9_.]+):"?([^"]*)"?$/.exec(t);
    if (!m) throw queryError(`'search' supports field:value terms only (got ${t}).`);
    return { field: m[1]!, value: m[2]! };
  });
  return (log) => terms.every((t) => String((log as Record<string, unknown>)[t.field] ?? '') === t.value);
}

export const logsHandlers: HandlerTable = {
  'logs.get': (req) => {
    const log = req.tenant.state.logs.find((l) => l.log_id === req.params.id);
    if (!log) throw notFound('Log not found', 'inexistent_log');
    return ok(log);
  },
  'logs.list': (req) => {
    const q = req.query;
    const filter = compileSearch(q.get('search'));
    const logs = req.tenant.state.logs.filter(filter);
    if (usesCheckpoint(req.op, q)) {
      // Checkpoint: oldest first after the `from` log id; `next` is the last log id of the page.
      return ok(
        paginate(req.op, q, logs, {
          checkpoint: {
            after: (from) => {
              const idx = logs.findIndex((l) => l.log_id > from);
              return idx < 0 ? logs.length : idx;
            },
            next: (item) => (item as LogRecord).log_id,
          },
        }),
      );
    }
    const sort = q.get('sort') ?? 'date:-1';
    const ordered = sort.endsWith(':1') ? logs : [...logs].reverse();
    return ok(paginate(req.op, q, ordered.map((l) => project(l, q))));
  },
};
