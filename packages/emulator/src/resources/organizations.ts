/** Organizations, their members, member roles and enabled connections. */
import { conflict, notFound } from '../http';
import { paginate, project } from '../paginate';
import type { JsonObject, OrganizationRecord } from '../state';
import type { Tenant } from '../tenant';
import { body, findUser, logApi, mergeMetadata, newId, userSummary } from './common';
import { noContent, ok, type HandlerTable } from './types';

export function findOrg(tenant: Tenant, id: string): OrganizationRecord {
  const org = tenant.state.organizations.get(id);
  if (!org) throw notFound('No organization found by that id or name', 'inexistent_organization');
  return org;
}

function assertUniqueName(tenant: Tenant, name: string, except?: string): void {
  for (const o of tenant.state.organizations.values()) {
    if (o.id !== except && o.name === name) throw conflict('An organization with this name already exists.', 'organization_conflict');
  }
}

function findConnection(tenant: Tenant, id: string) {
  const c = tenant.state.connections.get(id);
  if (!c) throw notFound('The connection does not exist.', 'inexistent_connection');
  return c;
}

function enabledConnectionView(tenant: Tenant, connectionId: string, settings: JsonObject): JsonObject {
  const c = tenant.state.connections.get(connectionId);
  return {
    connection_id: connectionId,
    assign_membership_on_login: false,
    show_as_button: true,
    is_signup_enabled: false,
    ...settings,
    connection: { name: c?.name, strategy: c?.strategy },
  };
}

export function createOrgRecord(tenant: Tenant, input: JsonObject, fixedId?: string): OrganizationRecord {
  assertUniqueName(tenant, input.name as string);
  const { enabled_connections, ...rest } = input;
  const org: OrganizationRecord = { ...rest, id: fixedId ?? newId.org(), name: input.name as string };
  tenant.state.organizations.set(org.id, org);
  const conns = new Map<string, JsonObject>();
  for (const ec of (enabled_connections as JsonObject[] | undefined) ?? []) {
    findConnection(tenant, ec.connection_id as string);
    const { connection_id, ...settings } = ec;
    conns.set(connection_id as string, settings);
  }
  tenant.state.orgConnections.set(org.id, conns);
  tenant.state.orgMembers.set(org.id, new Set());
  return org;
}

export const organizationsHandlers: HandlerTable = {
  'organizations.create': (req) => {
    const org = createOrgRecord(req.tenant, body(req));
    logApi(req, 'Create an organization');
    return ok(org, 201);
  },
  'organizations.get': (req) => ok(findOrg(req.tenant, req.params.id!)),
  'organizations.getByName': (req) => {
    const org = [...req.tenant.state.organizations.values()].find((o) => o.name === req.params.name);
    if (!org) throw notFound('No organization found by that id or name', 'inexistent_organization');
    return ok(org);
  },
  'organizations.list': (req) => {
    const orgs = [...req.tenant.state.organizations.values()];
    const sort = req.query.get('sort');
    if (sort) {
      const [field, dir] = sort.split(':');
      orgs.sort((a, b) => (String(a[field!] ?? '') < String(b[field!] ?? '') ? -1 : 1) * (dir === '-1' ? -1 : 1));
    }
    return ok(paginate(req.op, req.query, orgs));
  },
  'organizations.update': (req) => {
    const org = findOrg(req.tenant, req.params.id!);
    const patch = body(req);
    if (patch.name !== undefined) assertUniqueName(req.tenant, patch.name as string, org.id);
    const next: OrganizationRecord = { ...org };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete next[k];
      else if (k === 'metadata') {
        // Metadata keys merge; a null value removes the key.
        const merged = mergeMetadata((org.metadata as JsonObject | undefined) ?? {}, v as JsonObject);
        if (Object.keys(merged).length) next.metadata = merged;
        else delete next.metadata;
      } else next[k] = v;
    }
    req.tenant.state.organizations.set(org.id, next);
    return ok(next);
  },
  'organizations.delete': (req) => {
    const s = req.tenant.state;
    const org = findOrg(req.tenant, req.params.id!);
    s.organizations.delete(org.id);
    s.orgMembers.delete(org.id);
    s.orgConnections.delete(org.id);
    for (const key of [...s.orgMemberRoles.keys()]) if (key.startsWith(`${org.id} `)) s.orgMemberRoles.delete(key);
    logApi(req, 'Delete an organization');
    return noContent();
  },
  'organizations.members.list': (req) => {
    const org = findOrg(req.tenant, req.params.id!);
    const s = req.tenant.state;
    const members = [...(s.orgMembers.get(org.id) ?? [])]
      .map((id) => s.users.get(id))
      .filter((u) => u !== undefined)
      .map((u) => project(userSummary(u), req.query));
    return ok(paginate(req.op, req.query, members));
  },
  'organizations.members.create': (req) => {
    const org = findOrg(req.tenant, req.params.id!);
    const ids = body(req).members as string[];
    for (const id of ids) findUser(req.tenant, id);
    const set = req.tenant.state.orgMembers.get(org.id) ?? new Set<string>();
    for (const id of ids) set.add(id);
    req.tenant.state.orgMembers.set(org.id, set);
    return noContent();
  },
  'organizations.members.delete': (req) => {
    const org = findOrg(req.tenant, req.params.id!);
    const set = req.tenant.state.orgMembers.get(org.id);
    for (const id of body(req).members as string[]) {
      set?.delete(id);
      req.tenant.state.orgMemberRoles.delete(`${org.id} ${id}`);
    }
    return noContent();
  },
  'organizations.members.roles.list': (req) => {
    const org = findOrg(req.tenant, req.params.id!);
    const s = req.tenant.state;
    const roles = [...(s.orgMemberRoles.get(`${org.id} ${req.params.user_id}`) ?? [])]
      .map((r) => s.roles.get(r))
      .filter((r) => r !== undefined);
    return ok(paginate(req.op, req.query, roles));
  },
  'organizations.members.roles.assign': (req) => {
    const org = findOrg(req.tenant, req.params.id!);
    const userId = req.params.user_id!;
    if (!req.tenant.state.orgMembers.get(org.id)?.has(userId)) {
      throw notFound('The user is not a member of the organization.', 'inexistent_organization_member');
    }
    const key = `${org.id} ${userId}`;
    const set = req.tenant.state.orgMemberRoles.get(key) ?? new Set<string>();
    for (const r of body(req).roles as string[]) {
      if (!req.tenant.state.roles.has(r)) throw notFound(`The role ${r} does not exist.`, 'inexistent_role');
      set.add(r);
    }
    req.tenant.state.orgMemberRoles.set(key, set);
    return noContent();
  },
  'organizations.members.roles.delete': (req) => {
    const org = findOrg(req.tenant, req.params.id!);
    const set = req.tenant.state.orgMemberRoles.get(`${org.id} ${req.params.user_id}`);
    for (const r of body(req).roles as string[]) set?.delete(r);
    return noContent();
  },
  'organizations.enabledConnections.list': (req) => {
    const org = findOrg(req.tenant, req.params.id!);
    const conns = req.tenant.state.orgConnections.get(org.id) ?? new Map();
    return ok(paginate(req.op, req.query, [...conns].map(([id, settings]) => enabledConnectionView(req.tenant, id, settings))));
  },
  'organizations.enabledConnections.add': (req) => {
    const org = findOrg(req.tenant, req.params.id!);
    const { connection_id, ...settings } = body(req);
    findConnection(req.tenant, connection_id as string);
    const conns = req.tenant.state.orgConnections.get(org.id) ?? new Map<string, JsonObject>();
    conns.set(connection_id as string, settings);
    req.tenant.state.orgConnections.set(org.id, conns);
    return ok(enabledConnectionView(req.tenant, connection_id as string, settings), 201);
  },
  'organizations.enabledConnections.get': (req) => {
    const org = findOrg(req.tenant, req.params.id!);
    const settings = req.tenant.state.orgConnections.get(org.id)?.get(req.params.connectionId!);
    if (!settings) throw notFound('The connection is not enabled for this organization.', 'inexistent_connection');
    return ok(enabledConnectionView(req.tenant, req.params.connectionId!, settings));
  },
  'organizations.enabledConnections.update': (req) => {
    const org = findOrg(req.tenant, req.params.id!);
    const conns = req.tenant.state.orgConnections.get(org.id);
    const settings = conns?.get(req.params.connectionId!);
    if (!conns || !settings) throw notFound('The connection is not enabled for this organization.', 'inexistent_connection');
    const next = { ...settings, ...body(req) };
    conns.set(req.params.connectionId!, next);
    return ok(enabledConnectionView(req.tenant, req.params.connectionId!, next));
  },
  'organizations.enabledConnections.delete': (req) => {
    const org = findOrg(req.tenant, req.params.id!);
    if (!req.tenant.state.orgConnections.get(org.id)?.delete(req.params.connectionId!)) {
      throw notFound('The connection is not enabled for this organization.', 'inexistent_connection');
    }
    return noContent();
  },
};
