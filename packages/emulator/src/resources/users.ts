/** Users: create with a connection, get, search/list, update with metadata merge, delete, roles, permissions, blocks. */
import { ApiProblem, badRequest, conflict, notFound } from '../http';
import { intParam, paginate, project, queryError } from '../paginate';
import type { JsonObject, Permission, UserRecord } from '../state';
import { nowIso, type Tenant } from '../tenant';
import {
  body,
  checkPermissions,
  describePermission,
  findUser,
  logApi,
  mergeMetadata,
  newId,
  publicUser,
  samePermission,
} from './common';
import { compileUserQuery, compileUserSort } from './user-search';
import { noContent, ok, type HandlerTable, type OpRequest } from './types';

const DB_STRATEGIES = new Set(['auth0', 'email', 'sms']);

function connectionByName(tenant: Tenant, name: string) {
  return [...tenant.state.connections.values()].find((c) => c.name === name);
}

function avatar(seed: string): string {
  const initials = seed.replace(/[^a-z]/gi, '').slice(0, 2).toLowerCase() || 'xx';
  return `https://cdn.auth0.com/avatars/${initials}.png`;
}

/** Build a user record (used by create and by seeds). */
export function buildUser(tenant: Tenant, input: JsonObject, connection: { name: string; strategy: string }): UserRecord {
  const now = nowIso(tenant);
  const provider = connection.strategy;
  const social = !DB_STRATEGIES.has(provider) && !['samlp', 'waad', 'adfs', 'oidc', 'okta', 'ad'].includes(provider);
  const localId =
    typeof input.user_id === 'string' && input.user_id !== ''
      ? input.user_id.replace(/^[^|]+\|/, '')
      : provider === 'auth0' ? newId.user() : String(Math.floor(1e20 + Math.random() * 9e20));
  const email = typeof input.email === 'string' ? input.email.toLowerCase() : undefined;
  const nickname = (input.nickname as string | undefined) ?? email?.split('@')[0] ?? (input.username as string | undefined);
  const user: UserRecord = {
    user_id: `${provider}|${localId}`,
    ...(email ? { email, email_verified: (input.email_verified as boolean | undefined) ?? false } : {}),
    ...(input.username ? { username: input.username as string } : {}),
    ...(input.phone_number ? { phone_number: input.phone_number as string, phone_verified: (input.phone_verified as boolean | undefined) ?? false } : {}),
    name: (input.name as string | undefined) ?? email ?? (input.username as string | undefined) ?? localId,
    ...(nickname ? { nickname } : {}),
    ...(input.given_name ? { given_name: input.given_name as string } : {}),
    ...(input.family_name ? { family_name: input.family_name as string } : {}),
    picture: (input.picture as string | undefined) ?? avatar(nickname ?? localId),
    ...(input.blocked !== undefined ? { blocked: input.blocked as boolean } : {}),
    identities: [{ connection: connection.name, provider, user_id: localId, isSocial: social }],
    app_metadata: (input.app_metadata as JsonObject | undefined) ?? {},
    user_metadata: (input.user_metadata as JsonObject | undefined) ?? {},
    created_at: (input.created_at as string | undefined) ?? now,
    updated_at: (input.updated_at as string | undefined) ?? now,
    ...(input.last_login ? { last_login: input.last_login as string } : {}),
    logins_count: (input.logins_count as number | undefined) ?? 0,
  };
  return user;
}

function assertUniqueEmail(tenant: Tenant, connection: string, email: string | undefined, except?: string): void {
  if (!email) return;
  const lower = email.toLowerCase();
  for (const u of tenant.state.users.values()) {
    if (u.user_id === except) continue;
    if (u.email === lower && u.identities.some((i) => i.connection === connection)) {
      throw conflict('The user already exists.', 'auth0_idp_error');
    }
  }
}

function userRoles(req: OpRequest, id: string) {
  const ids = req.tenant.state.userRoles.get(id) ?? new Set<string>();
  return [...ids].map((r) => req.tenant.state.roles.get(r)).filter((r) => r !== undefined);
}

function roleIdsFromBody(req: OpRequest): string[] {
  const roles = body(req).roles as string[];
  for (const r of roles) if (!req.tenant.state.roles.has(r)) throw notFound(`The role ${r} does not exist.`, 'inexistent_role');
  return roles;
}

export const usersHandlers: HandlerTable = {
  'users.create': (req) => {
    const input = body(req);
    const connection = connectionByName(req.tenant, input.connection as string);
    if (!connection) throw badRequest('The connection does not exist.', 'inexistent_connection');
    if (!DB_STRATEGIES.has(connection.strategy)) {
      throw new ApiProblem(400, `Connection ${connection.name} (strategy ${connection.strategy}) does not support creating users; use a database or passwordless connection.`, 'operation_not_supported');
    }
    if (connection.strategy === 'auth0') {
      if (input.email === undefined && input.username === undefined) throw badRequest("Payload validation error: 'Missing required property: email'.");
      if (input.password === undefined) throw badRequest("Payload validation error: 'Missing required property: password'.");
    }
    assertUniqueEmail(req.tenant, connection.name, input.email as string | undefined);
    const user = buildUser(req.tenant, input, connection);
    if (req.tenant.state.users.has(user.user_id)) throw conflict('The user already exists.', 'auth0_idp_error');
    req.tenant.state.users.set(user.user_id, user);
    if (typeof input.password === 'string') req.tenant.state.passwords.set(user.user_id, input.password);
    logApi(req, 'Create a User', { user_id: user.user_id });
    return ok(publicUser(user), 201);
  },

  'users.get': (req) => ok(project(publicUser(findUser(req.tenant, req.params.id!)), req.query)),

  'users.list': (req) => {
    const q = req.query;
    const engine = q.get('search_engine');
    if (engine && engine !== 'v3' && engine !== 'v2') throw queryError(`'No enum match for: "${engine}"' on property search_engine.`);
    const perPage = intParam(q, 'per_page', 50, 1, 100);
    const page = intParam(q, 'page', 0, 0, 1000);
    if ((page + 1) * perPage > 1000) {
      throw new ApiProblem(400, 'You can only page through the first 1000 records. Narrow the search with q instead.', 'invalid_paging');
    }
    let users = [...req.tenant.state.users.values()];
    const connection = q.get('connection');
    if (connection) users = users.filter((u) => u.identities.some((i) => i.connection === connection));
    const query = q.get('q');
    if (query) users = users.filter(compileUserQuery(query));
    const sort = compileUserSort(q.get('sort'));
    if (sort) users.sort(sort);
    return ok(paginate(req.op, q, users.map((u) => project(publicUser(u), q))));
  },

  'users.update': (req) => {
    const user = findUser(req.tenant, req.params.id!);
    const patch = body(req);
    const next: UserRecord = { ...user };
    for (const [key, value] of Object.entries(patch)) {
      if (key === 'app_metadata' || key === 'user_metadata') {
        next[key] = mergeMetadata(user[key], (value as JsonObject | null) ?? {});
      } else if (key === 'password') {
        if (typeof value === 'string') req.tenant.state.passwords.set(user.user_id, value);
      } else if (['connection', 'client_id', 'verify_email', 'verify_phone_number'].includes(key)) {
        // Request context only.
      } else if (key === 'user_id' || key === 'identities' || key === 'created_at') {
        throw badRequest(`Payload validation error: '${key} cannot be updated'.`);
      } else if (value === null) {
        delete next[key];
      } else {
        next[key] = key === 'email' ? String(value).toLowerCase() : value;
      }
    }
    if (patch.email) assertUniqueEmail(req.tenant, user.identities[0]!.connection, patch.email as string, user.user_id);
    next.updated_at = nowIso(req.tenant);
    req.tenant.state.users.set(user.user_id, next);
    logApi(req, 'Update a User', { user_id: user.user_id });
    return ok(publicUser(next));
  },

  'users.delete': (req) => {
    const id = req.params.id!;
    const s = req.tenant.state;
    findUser(req.tenant, id);
    s.users.delete(id);
    s.passwords.delete(id);
    s.userRoles.delete(id);
    s.userPermissions.delete(id);
    s.userBlocks.delete(id);
    for (const members of s.orgMembers.values()) members.delete(id);
    for (const key of [...s.orgMemberRoles.keys()]) if (key.endsWith(` ${id}`)) s.orgMemberRoles.delete(key);
    logApi(req, 'Delete a User', { user_id: id });
    return noContent();
  },

  'usersByEmail.list': (req) => {
    const email = req.query.get('email');
    if (!email) throw queryError("'Missing required property: email'.");
    const lower = email.toLowerCase();
    const users = [...req.tenant.state.users.values()].filter((u) => u.email === lower);
    return ok(users.map((u) => project(publicUser(u), req.query)));
  },

  'users.roles.list': (req) => {
    findUser(req.tenant, req.params.id!);
    return ok(paginate(req.op, req.query, userRoles(req, req.params.id!)));
  },

  'users.roles.assign': (req) => {
    const id = req.params.id!;
    findUser(req.tenant, id);
    const roles = roleIdsFromBody(req);
    const set = req.tenant.state.userRoles.get(id) ?? new Set<string>();
    for (const r of roles) set.add(r);
    req.tenant.state.userRoles.set(id, set);
    logApi(req, 'Assign roles to a user', { user_id: id });
    return noContent();
  },

  'users.roles.delete': (req) => {
    const id = req.params.id!;
    findUser(req.tenant, id);
    const set = req.tenant.state.userRoles.get(id);
    for (const r of body(req).roles as string[]) set?.delete(r);
    return noContent();
  },

  'users.permissions.list': (req) => {
    const id = req.params.id!;
    findUser(req.tenant, id);
    const s = req.tenant.state;
    const out: JsonObject[] = [];
    for (const p of s.userPermissions.get(id) ?? []) {
      out.push({ ...describePermission(req.tenant, p), sources: [{ source_id: '', source_name: '', source_type: 'DIRECT' }] });
    }
    for (const role of userRoles(req, id)) {
      for (const p of s.rolePermissions.get(role.id) ?? []) {
        out.push({ ...describePermission(req.tenant, p), sources: [{ source_id: role.id, source_name: role.name, source_type: 'ROLE' }] });
      }
    }
    return ok(paginate(req.op, req.query, out));
  },

  'users.permissions.create': (req) => {
    const id = req.params.id!;
    findUser(req.tenant, id);
    const perms = checkPermissions(req.tenant, body(req).permissions as Permission[]);
    const list = req.tenant.state.userPermissions.get(id) ?? [];
    for (const p of perms) if (!list.some((x) => samePermission(x, p))) list.push(p);
    req.tenant.state.userPermissions.set(id, list);
    return ok(undefined, 201);
  },

  'users.permissions.delete': (req) => {
    const id = req.params.id!;
    findUser(req.tenant, id);
    const remove = body(req).permissions as Permission[];
    const list = req.tenant.state.userPermissions.get(id) ?? [];
    req.tenant.state.userPermissions.set(id, list.filter((p) => !remove.some((r) => samePermission(r, p))));
    return noContent();
  },

  'users.organizations.list': (req) => {
    const id = req.params.id!;
    findUser(req.tenant, id);
    const s = req.tenant.state;
    const orgs = [...s.organizations.values()].filter((o) => s.orgMembers.get(o.id)?.has(id));
    return ok(paginate(req.op, req.query, orgs));
  },

  'users.logs.list': (req) => {
    const id = req.params.id!;
    findUser(req.tenant, id);
    const logs = req.tenant.state.logs.filter((l) => l.user_id === id).reverse();
    return ok(paginate(req.op, req.query, logs));
  },

  'userBlocks.list': (req) => {
    findUser(req.tenant, req.params.id!);
    return ok({ blocked_for: req.tenant.state.userBlocks.get(req.params.id!) ?? [] });
  },

  'userBlocks.delete': (req) => {
    findUser(req.tenant, req.params.id!);
    req.tenant.state.userBlocks.delete(req.params.id!);
    return noContent();
  },

  'userBlocks.listByIdentifier': (req) => {
    const identifier = req.query.get('identifier');
    if (!identifier) throw queryError("'Missing required property: identifier'.");
    const entries = [...req.tenant.state.userBlocks.values()].flat().filter((b) => b.identifier === identifier);
    return ok({ blocked_for: entries });
  },

  'userBlocks.deleteByIdentifier': (req) => {
    const identifier = req.query.get('identifier');
    if (!identifier) throw queryError("'Missing required property: identifier'.");
    for (const [id, entries] of req.tenant.state.userBlocks) {
      const left = entries.filter((b) => b.identifier !== identifier);
      if (left.length) req.tenant.state.userBlocks.set(id, left);
      else req.tenant.state.userBlocks.delete(id);
    }
    return noContent();
  },
};
