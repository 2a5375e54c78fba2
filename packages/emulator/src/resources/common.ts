/** Helpers shared by the resource handlers. */
import { ApiProblem, notFound } from '../http';
import { randomAlnum, randomHex } from '../rng';
import { isPlainObject, type JsonObject, type Permission, type UserRecord } from '../state';
import type { Tenant } from '../tenant';
import type { OpRequest } from './types';

export const newId = {
  user: () => randomHex(24),
  role: () => `rol_${randomAlnum(16)}`,
  org: () => `org_${randomAlnum(16)}`,
  connection: () => `con_${randomAlnum(16)}`,
  client: () => randomAlnum(32),
  clientSecret: () => randomAlnum(64),
  grant: () => `cgr_${randomAlnum(16)}`,
  resourceServer: () => randomHex(24),
  credential: () => `cred_${randomAlnum(22)}`,
  generic: () => randomAlnum(20),
};

export function body(req: OpRequest): JsonObject {
  return isPlainObject(req.body) ? req.body : {};
}

export function findUser(tenant: Tenant, id: string): UserRecord {
  const user = tenant.state.users.get(id);
  if (!user) throw notFound('The user does not exist.', 'inexistent_user');
  return user;
}

/** A user as the API returns it: empty metadata objects omitted, never a password. */
export function publicUser(user: UserRecord): JsonObject {
  const out: JsonObject = { ...user };
  if (Object.keys(user.app_metadata).length === 0) delete out.app_metadata;
  if (Object.keys(user.user_metadata).length === 0) delete out.user_metadata;
  return out;
}

export function userSummary(user: UserRecord): JsonObject {
  return { user_id: user.user_id, email: user.email, picture: user.picture, name: user.name };
}

/** Resolve permissions against the tenant's resource servers (404/400 as Auth0 answers). */
export function checkPermissions(tenant: Tenant, permissions: readonly Permission[]): Permission[] {
  return permissions.map((p) => {
    const rs = [...tenant.state.resourceServers.values()].find((r) => r.identifier === p.resource_server_identifier);
    if (!rs) throw notFound(`Resource server ${p.resource_server_identifier} does not exist.`, 'inexistent_resource_server');
    if (!rs.scopes.some((s) => s.value === p.permission_name)) {
      throw new ApiProblem(400, `Permission ${p.permission_name} does not exist for resource server ${rs.identifier}.`, 'invalid_body');
    }
    return { resource_server_identifier: p.resource_server_identifier, permission_name: p.permission_name };
  });
}

export function describePermission(tenant: Tenant, p: Permission): JsonObject {
  const rs = [...tenant.state.resourceServers.values()].find((r) => r.identifier === p.resource_server_identifier);
  const scope = rs?.scopes.find((s) => s.value === p.permission_name);
  return {
    permission_name: p.permission_name,
    resource_server_identifier: p.resource_server_identifier,
    resource_server_name: rs?.name ?? p.resource_server_identifier,
    description: scope?.description ?? '',
  };
}

export const samePermission = (a: Permission, b: Permission): boolean =>
  a.resource_server_identifier === b.resource_server_identifier && a.permission_name === b.permission_name;

export function logApi(req: OpRequest, description: string, extra: JsonObject = {}): void {
  req.tenant.writeLog({
    type: 'sapi',
    description,
    client_id: req.principal.clientId,
    ip: req.ip,
    user_agent: req.userAgent,
    details: { request: { method: req.op.method.toLowerCase(), path: `/api/v2${req.path}` } },
    ...extra,
  });
}

/** Top-level merge where `null` deletes a key and `{}` clears everything (Auth0's metadata semantics). */
export function mergeMetadata(current: JsonObject, patch: JsonObject): JsonObject {
  if (Object.keys(patch).length === 0) return {};
  const next: JsonObject = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  return next;
}
