/**
 * The generic JSON store that answers every operation without a dedicated handler, by path:
 * POST on a collection creates `{id, ...body}` at `<path>/<id>` (201); GET on a collection lists its direct
 * children with the operation's pagination; GET/PATCH/PUT/DELETE on an item read, merge, replace or remove
 * it (404 when absent); a path without parameters is a singleton settings object (GET answers `{}` until set).
 * It does not reproduce the side effects of those operations (jobs do not run, emails are not sent).
 */
import { notFound } from '../http';
import { paginate } from '../paginate';
import { isPlainObject, type JsonObject } from '../state';
import { nowIso } from '../tenant';
import { operations } from '../table';
import { newId } from './common';
import { noContent, ok, type OpHandler, type OpRequest } from './types';

const listPaths = new Set(operations.filter((o) => o.method === 'GET' && (o.pagination !== 'none' || o.itemsKey)).map((o) => o.path));
const getPaths = new Set(operations.filter((o) => o.method === 'GET').map((o) => o.path));

function children(req: OpRequest): JsonObject[] {
  const prefix = `${req.path}/`;
  const out: JsonObject[] = [];
  for (const [key, value] of req.tenant.state.store) {
    if (key.startsWith(prefix) && !key.slice(prefix.length).includes('/')) out.push(value);
  }
  return out;
}

function missing(req: OpRequest): Error {
  return notFound(
    `Nothing is stored at ${req.op.method} /api/v2${req.path}: the emulator answers ${req.op.name} from its generic store; create the object first.`,
    'inexistent_resource',
  );
}

const singleton = (req: OpRequest) => req.op.pathParams.length === 0;

export const genericHandler: OpHandler = (req) => {
  const store = req.tenant.state.store;
  const b = isPlainObject(req.body) ? req.body : {};
  const now = nowIso(req.tenant);
  switch (req.op.method) {
    case 'GET': {
      if (listPaths.has(req.op.path)) {
        const items = children(req);
        return ok(req.op.pagination === 'none' ? items : paginate(req.op, req.query, items));
      }
      const item = store.get(req.path);
      if (item) return ok(item);
      if (singleton(req)) return ok({});
      throw missing(req);
    }
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
      if (!current && !singleton(req)) throw missing(req);
      const next: JsonObject = { ...(current ?? {}) };
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
      if (!existed && !singleton(req) && !listPaths.has(req.op.path)) throw missing(req);
      return noContent();
    }
  }
};
