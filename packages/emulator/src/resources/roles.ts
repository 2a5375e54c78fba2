/** Roles, their permissions and their users. */
import { conflict, notFound } from '../http';
import { paginate } from '../paginate';
import type { Permission, RoleRecord } from '../state';
import type { Tenant } from '../tenant';
import { body, checkPermissions, describePermission, findUser, logApi, newId, samePermission, userSummary } from './common';
import { ok, type HandlerTable } from './types';

function findRole(tenant: Tenant, id: string): RoleRecord {
  const role = tenant.state.roles.get(id);
  if (!role) throw notFound('The role does not exist.', 'inexistent_role');
  return role;
}

function assertUniqueName(tenant: Tenant, name: string, except?: string): void {
  for (const r of tenant.state.roles.values()) {
    if (r.id !== except && r.name === name) throw conflict('Role name already exists.', 'role_conflict');
  }
}

export const rolesHandlers: HandlerTable = {
  'roles.create': (req) => {
    const b = body(req);
    assertUniqueName(req.tenant, b.name as string);
    const role: RoleRecord = { id: newId.role(), name: b.name as string, description: (b.description as string | undefined) ?? '' };
    req.tenant.state.roles.set(role.id, role);
    logApi(req, 'Create a role');
    return ok(role);
  },
  'roles.get': (req) => ok(findRole(req.tenant, req.params.id!)),
  'roles.list': (req) => {
    const filter = req.query.get('name_filter')?.toLowerCase();
    let roles = [...req.tenant.state.roles.values()];
    if (filter) roles = roles.filter((r) => r.name.toLowerCase().includes(filter));
    return ok(paginate(req.op, req.query, roles));
  },
  'roles.update': (req) => {
    const role = findRole(req.tenant, req.params.id!);
    const b = body(req);
    if (b.name !== undefined) assertUniqueName(req.tenant, b.name as string, role.id);
    const next = { ...role, ...b } as RoleRecord;
    req.tenant.state.roles.set(role.id, next);
    return ok(next);
  },
  'roles.delete': (req) => {
    const s = req.tenant.state;
    const role = findRole(req.tenant, req.params.id!);
    s.roles.delete(role.id);
    s.rolePermissions.delete(role.id);
    for (const set of s.userRoles.values()) set.delete(role.id);
    for (const set of s.orgMemberRoles.values()) set.delete(role.id);
    return ok(undefined);
  },
  'roles.permissions.list': (req) => {
    const role = findRole(req.tenant, req.params.id!);
    const perms = (req.tenant.state.rolePermissions.get(role.id) ?? []).map((p) => describePermission(req.tenant, p));
    return ok(paginate(req.op, req.query, perms));
  },
  'roles.permissions.add': (req) => {
    const role = findRole(req.tenant, req.params.id!);
    const perms = checkPermissions(req.tenant, body(req).permissions as Permission[]);
    const list = req.tenant.state.rolePermissions.get(role.id) ?? [];
    for (const p of perms) if (!list.some((x) => samePermission(x, p))) list.push(p);
    req.tenant.state.rolePermissions.set(role.id, list);
    return ok(undefined, 201);
  },
  'roles.permissions.delete': (req) => {
    const role = findRole(req.tenant, req.params.id!);
    const remove = body(req).permissions as Permission[];
    const list = req.tenant.state.rolePermissions.get(role.id) ?? [];
    req.tenant.state.rolePermissions.set(role.id, list.filter((p) => !remove.some((r) => samePermission(r, p))));
    return ok(undefined);
  },
  'roles.users.list': (req) => {
    const role = findRole(req.tenant, req.params.id!);
    const s = req.tenant.state;
    const users = [...s.userRoles.entries()]
      .filter(([, roles]) => roles.has(role.id))
      .map(([userId]) => s.users.get(userId))
      .filter((u) => u !== undefined)
      .map(userSummary);
    return ok(paginate(req.op, req.query, users));
  },
  'roles.users.assign': (req) => {
    const role = findRole(req.tenant, req.params.id!);
    const users = body(req).users as string[];
    for (const id of users) findUser(req.tenant, id);
    for (const id of users) {
      const set = req.tenant.state.userRoles.get(id) ?? new Set<string>();
      set.add(role.id);
      req.tenant.state.userRoles.set(id, set);
    }
    logApi(req, 'Assign users to a role');
    return ok(undefined);
  },
};
