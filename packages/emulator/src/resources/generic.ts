/**
 * The generic JSON store that answers every operation without a dedicated handler, by path, in the shape the
 * document declares for the operation (its `response` kind): POST on a collection creates `{id, ...body}` at
 * `<path>/<id>` (201); GET on a collection lists its direct children — an array, pages only when asked
 * (`include_totals`, `from`/`take`), an envelope where that is the only shape; GET/PATCH/PUT/DELETE on an
 * item read, merge, replace or remove it (404 when absent); a settings object (no parameters, or a fixed
 * last segment) answers Auth0's default until set (store-defaults.ts). Operations with no response body
 * answer 204. Side effects (emails, deployments) are not reproduced; jobs have their own handlers (jobs.ts).
 */
import { notFound } from '../http';
import { paginate } from '../paginate';
import { isPlainObject, type JsonObject } from '../state';
import { nowIso } from '../tenant';
import { operations } from '../table';
import { newId } from './common';
import { storeDefault } from './store-defaults';
import { noContent, ok, type OpHandler, type OpRequest, type OpResult } from './types';

const isList = (o: (typeof operations)[number]) => o.response === 'array' || o.response === 'envelope' || o.pagination !== 'none';
const listPaths = new Set(operations.filter((o) => o.method === 'GET' && isList(o)).map((o) => o.path));
const getPaths = new Set(operations.filter((o) => o.method === 'GET').map((o) => o.path));

function children(req: OpRequest): JsonObject[] {
  const prefix = `${req.path}/`;
  const out: JsonObject[] = [];
  for (const [key, value] of req.tenant.state.store) {
    if (key.startsWith(prefix) && !key.slice(prefix.length).includes('/')) out.push(value);
  }
  return out;
}

/** A list's items: stored children, over Auth0's default items (e.g. guardian factors) matched by `name`. */
function listItems(req: OpRequest): unknown[] {
  const replaced = req.tenant.state.store.get(req.path)?.items; // a PUT of the whole list
  if (Array.isArray(replaced)) return replaced;
  const stored = children(req);
  const defaults = storeDefault(req.op.path);
  if (!Array.isArray(defaults)) return stored;
  const prefix = `${req.path}/`;
  const byName = new Map<string, JsonObject>();
  for (const [key, value] of req.tenant.state.store) if (key.startsWith(prefix)) byName.set(key.slice(prefix.length), value);
  const named = defaults.map((d) => ({ ...d, ...(byName.get(String(d.name)) ?? {}) }));
  return [...named, ...stored.filter((s) => !defaults.some((d) => byName.get(String(d.name)) === s))];
}

function missing(req: OpRequest): Error {
  return notFound(
    `Nothing is stored at ${req.op.method} /api/v2${req.path}: the emulator answers ${req.op.name} from its generic store; create the object first.`,
    'inexistent_resource',
  );
}

/** A settings object rather than an item of a collection: no parameters, or a fixed last path segment. */
const settingsObject = (req: OpRequest) => req.op.pathParams.length === 0 || !req.op.path.endsWith('}');

function list(req: OpRequest): OpResult {
  const items = listItems(req);
  if (req.op.pagination === 'none') return ok(req.op.response === 'envelope' ? { [req.op.itemsKey ?? 'items']: items } : items);
  if (req.op.response !== 'envelope') return ok(paginate(req.op, req.query, items));
  const query = new URLSearchParams(req.query);
  if (req.op.pagination !== 'checkpoint') query.set('include_totals', 'true');
  return ok(paginate(req.op, query, items));
}

function read(req: OpRequest): OpResult {
  const item = req.tenant.state.store.get(req.path);
  if (item) return ok(item);
  const fallback = storeDefault(req.op.path);
  if (fallback === undefined && settingsObject(req)) return ok({});
  if (!fallback) throw missing(req);
  return ok(fallback);
}

export const genericHandler: OpHandler = (req) => {
  const result = answer(req);
  return req.op.response === 'empty' && req.op.method !== 'GET' && result.status < 300 ? noContent() : result;
};

function answer(req: OpRequest): OpResult {
  const store = req.tenant.state.store;
  const b = isPlainObject(req.body) ? req.body : {};
  const now = nowIso(req.tenant);
  switch (req.op.method) {
    case 'GET':
      return listPaths.has(req.op.path) ? list(req) : read(req);
    case 'POST': {
      if (listPaths.has(req.op.path) || !getPaths.has(req.op.path)) {
        const id = typeof b.id === 'string' && b.id ? b.id : newId.generic();
        const item: JsonObject = { ...b, id, created_at: now, updated_at: now };
        store.set(`${req.path}/${id}`, item);
        return ok(item, 201);
      }
      const item = { ...(store.get(req.path) ?? {}), ...b, updated_at: now };
      store.set(req.path, item);
      return ok(item, 201);
    }
    case 'PATCH': {
      const current = store.get(req.path);
      if (!current && !settingsObject(req)) throw missing(req);
      const base = current ?? storeDefault(req.op.path);
      const next: JsonObject = { ...(isPlainObject(base) ? base : {}) };
      for (const [k, v] of Object.entries(b)) {
        if (v === null) delete next[k];
        else next[k] = v;
      }
      store.set(req.path, next);
      return ok(next);
    }
    case 'PUT': {
      const item: JsonObject = Array.isArray(req.body) ? { items: req.body } : { ...b };
      store.set(req.path, item);
      return ok(Array.isArray(req.body) ? req.body : item);
    }
    case 'DELETE': {
      const existed = store.delete(req.path);
      for (const key of [...store.keys()]) if (key.startsWith(`${req.path}/`)) store.delete(key);
      if (!existed && !settingsObject(req) && !listPaths.has(req.op.path)) throw missing(req);
      return noContent();
    }
  }
}
