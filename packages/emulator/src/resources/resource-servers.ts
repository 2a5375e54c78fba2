/** Resource servers (APIs). The Management API itself is the system resource server of the tenant. */
import { ApiProblem, conflict, notFound } from '../http';
import { paginate } from '../paginate';
import type { JsonObject, ResourceServerRecord } from '../state';
import type { Tenant } from '../tenant';
import { body, logApi, newId } from './common';
import { noContent, ok, type HandlerTable } from './types';

/** By id or by identifier (Auth0 accepts both in the path). */
function findResourceServer(tenant: Tenant, idOrIdentifier: string): ResourceServerRecord {
  const rs =
    tenant.state.resourceServers.get(idOrIdentifier) ??
    [...tenant.state.resourceServers.values()].find((r) => r.identifier === idOrIdentifier);
  if (!rs) throw notFound('The resource server does not exist', 'inexistent_resource_server');
  return rs;
}

export function createResourceServerRecord(tenant: Tenant, input: JsonObject, fixedId?: string): ResourceServerRecord {
  const identifier = input.identifier as string;
  for (const r of tenant.state.resourceServers.values()) {
    if (r.identifier === identifier) throw conflict('A resource server with the same identifier already exists', 'resource_server_conflict');
  }
  const rs: ResourceServerRecord = {
    name: identifier,
    signing_alg: 'RS256',
    token_lifetime: 86400,
    allow_offline_access: false,
    skip_consent_for_verifiable_first_party_clients: true,
    token_dialect: 'access_token',
    ...input,
    id: fixedId ?? newId.resourceServer(),
    identifier,
    scopes: (input.scopes as ResourceServerRecord['scopes'] | undefined) ?? [],
  };
  tenant.state.resourceServers.set(rs.id, rs);
  return rs;
}

export const resourceServersHandlers: HandlerTable = {
  'resourceServers.create': (req) => {
    const rs = createResourceServerRecord(req.tenant, body(req));
    logApi(req, 'Create a resource server');
    return ok(rs, 201);
  },
  'resourceServers.get': (req) => ok(findResourceServer(req.tenant, req.params.id!)),
  'resourceServers.list': (req) => {
    let list = [...req.tenant.state.resourceServers.values()];
    const identifiers = req.query.getAll('identifiers');
    if (identifiers.length) list = list.filter((r) => identifiers.includes(r.identifier));
    return ok(paginate(req.op, req.query, list));
  },
  'resourceServers.update': (req) => {
    const rs = findResourceServer(req.tenant, req.params.id!);
    if (rs.is_system) throw new ApiProblem(403, 'The system resource server cannot be modified.', 'operation_not_supported');
    const next = { ...rs, ...body(req) } as ResourceServerRecord;
    req.tenant.state.resourceServers.set(rs.id, next);
    return ok(next);
  },
  'resourceServers.delete': (req) => {
    const rs = findResourceServer(req.tenant, req.params.id!);
    if (rs.is_system) throw new ApiProblem(403, 'The system resource server cannot be deleted.', 'operation_not_supported');
    req.tenant.state.resourceServers.delete(rs.id);
    for (const [id, g] of req.tenant.state.clientGrants) if (g.audience === rs.identifier) req.tenant.state.clientGrants.delete(id);
    return noContent();
  },
};
