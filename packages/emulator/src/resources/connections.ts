/** Connections (database, social, enterprise): the `connection` users are created in. */
import { ApiProblem, conflict, notFound } from '../http';
import { paginate, project } from '../paginate';
import type { ConnectionRecord, JsonObject } from '../state';
import type { Tenant } from '../tenant';
import { body, logApi, newId } from './common';
import { noContent, ok, type HandlerTable } from './types';

function findConnection(tenant: Tenant, id: string): ConnectionRecord {
  const c = tenant.state.connections.get(id);
  if (!c) throw notFound('The connection does not exist.', 'inexistent_connection');
  return c;
}

export function createConnectionRecord(tenant: Tenant, input: JsonObject, fixedId?: string): ConnectionRecord {
  const name = input.name as string;
  for (const c of tenant.state.connections.values()) {
    if (c.name === name) throw conflict('A connection with the same name already exists', 'connection_conflict');
  }
  const connection: ConnectionRecord = {
    options: {},
    enabled_clients: [],
    is_domain_connection: false,
    realms: [name],
    ...input,
    id: fixedId ?? newId.connection(),
    name,
    strategy: input.strategy as string,
  };
  tenant.state.connections.set(connection.id, connection);
  return connection;
}

export const connectionsHandlers: HandlerTable = {
  'connections.create': (req) => {
    const c = createConnectionRecord(req.tenant, body(req));
    logApi(req, 'Create a connection');
    return ok(c, 201);
  },
  'connections.get': (req) => ok(project(findConnection(req.tenant, req.params.id!), req.query)),
  'connections.list': (req) => {
    const q = req.query;
    let list = [...req.tenant.state.connections.values()];
    const strategies = q.getAll('strategy').flatMap((s) => s.split(','));
    if (strategies.length) list = list.filter((c) => strategies.includes(c.strategy));
    const name = q.get('name');
    if (name) list = list.filter((c) => c.name === name);
    return ok(paginate(req.op, q, list.map((c) => project(c, q))));
  },
  'connections.update': (req) => {
    const c = findConnection(req.tenant, req.params.id!);
    const next: ConnectionRecord = { ...c };
    for (const [k, v] of Object.entries(body(req))) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    req.tenant.state.connections.set(c.id, next);
    return ok(next);
  },
  'connections.delete': (req) => {
    const s = req.tenant.state;
    const c = findConnection(req.tenant, req.params.id!);
    s.connections.delete(c.id);
    for (const [id, u] of s.users) if (u.identities.some((i) => i.connection === c.name)) s.users.delete(id);
    logApi(req, 'Delete a connection');
    return noContent();
  },
  'connections.checkStatus': (req) => {
    findConnection(req.tenant, req.params.id!);
    return ok(undefined);
  },
  'connections.users.deleteByEmail': (req) => {
    const c = findConnection(req.tenant, req.params.id!);
    const email = req.query.get('email');
    if (!email) throw new ApiProblem(400, "Query validation error: 'Missing required property: email'.", 'invalid_query_string');
    for (const [id, u] of req.tenant.state.users) {
      if (u.email === email.toLowerCase() && u.identities.some((i) => i.connection === c.name)) req.tenant.state.users.delete(id);
    }
    return noContent();
  },
  'connections.clients.get': (req) => {
    const c = findConnection(req.tenant, req.params.id!);
    return ok(paginate(req.op, req.query, (c.enabled_clients ?? []).map((client_id) => ({ client_id }))));
  },
  'connections.clients.update': (req) => {
    const c = findConnection(req.tenant, req.params.id!);
    const changes = (Array.isArray(req.body) ? req.body : []) as { client_id: string; status: boolean }[];
    const set = new Set(c.enabled_clients ?? []);
    for (const ch of changes) {
      if (ch.status) set.add(ch.client_id);
      else set.delete(ch.client_id);
    }
    c.enabled_clients = [...set];
    return noContent();
  },
};
