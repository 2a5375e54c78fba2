/**
 * Seeds: the base tenant (the Management API resource server and the default database connection), the
 * `demo` data set (a few hundred users across connections and organizations, roles, and M2M clients with
 * fixed, documented ids and secrets), user-supplied data, and the `clients` option.
 */
import { EmulatorOptionError } from './errors';
import type { QuotaLimits } from './quota';
import { addCredential, createClientRecord, createGrantRecord } from './resources/clients';
import { createConnectionRecord } from './resources/connections';
import { createOrgRecord } from './resources/organizations';
import { createResourceServerRecord } from './resources/resource-servers';
import { buildUser } from './resources/users';
import { seededRandom } from './rng';
import type { ClientRecord, JsonObject, Permission } from './state';
import { isSpecialScope, SCOPES } from './table';
import type { Tenant } from './tenant';

/** An M2M application the emulator knows from the start. */
/**
 * A public JSON Web Key, structurally (jose's `JWK` fits): the public types never import jose, whose ESM-only
 * declarations a CommonJS (node16) consumer cannot `require` (TS1479).
 */
export interface PublicJwk {
  readonly kty: string;
  readonly [parameter: string]: unknown;
}

export interface ClientConfig {
  clientId: string;
  /** Omit for a private_key_jwt-only client. */
  clientSecret?: string;
  /** Public key (PEM or JWK) for private_key_jwt. */
  publicKey?: string | PublicJwk;
  /** Assertion signing algorithm of `publicKey` (RS256 default; RS384, PS256). */
  alg?: 'RS256' | 'RS384' | 'PS256';
  name?: string;
  /**
   * Management API scopes (`'*'` expands to every non-special scope), or grants to other audiences
   * (`{audience, scope}`; the Management API audience may be written as `https://{domain}/api/v2/`).
   */
  grants?: readonly string[] | readonly { audience: string; scope: readonly string[] }[];
  /** Token quota for this client (overrides the emulator's `quota`). */
  quota?: QuotaLimits;
}

/** Data to seed (all optional). Ids are generated when absent. */
export interface SeedData {
  connections?: readonly (JsonObject & { name: string; strategy: string; id?: string })[];
  resourceServers?: readonly (JsonObject & { identifier: string; id?: string })[];
  users?: readonly (JsonObject & { connection?: string; roles?: readonly string[] })[];
  roles?: readonly { id?: string; name: string; description?: string; permissions?: readonly Permission[] }[];
  organizations?: readonly (JsonObject & { name: string; id?: string; members?: readonly string[] })[];
  clients?: readonly ClientConfig[];
  /** Generic store objects by path relative to /api/v2, e.g. `{'/actions/actions/act_1': {...}}`. */
  store?: Readonly<Record<string, JsonObject>>;
}

export const MANAGEMENT_API_RESOURCE_SERVER_ID = '6d616e6167656d656e742d31';
export const DEFAULT_CONNECTION = 'Username-Password-Authentication';

/** Every scope a server may be granted (special current_user scopes excluded). */
export const SERVER_SCOPES: readonly string[] = Object.freeze(SCOPES.filter((s: string) => !isSpecialScope(s)));

export interface DemoClient {
  readonly key: 'admin' | 'readUsers' | 'appMetadata' | 'rolesManager' | 'privateKeyJwt';
  readonly clientId: string;
  /** Absent for the private_key_jwt client: its private key comes from `admin.demoPrivateKey()`. */
  readonly clientSecret?: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly authMethod: 'client_secret_post' | 'private_key_jwt';
}

/** The demo seed's M2M clients: fixed ids and secrets, for local use only. */
export const DEMO_CLIENTS: readonly DemoClient[] = Object.freeze([
  { key: 'admin', clientId: 'sb-demo-admin', clientSecret: 'sb-demo-admin-secret', name: 'Demo admin (every server scope)', scopes: SERVER_SCOPES, authMethod: 'client_secret_post' },
  { key: 'readUsers', clientId: 'sb-demo-read-users', clientSecret: 'sb-demo-read-users-secret', name: 'Demo reader (read:users)', scopes: ['read:users'], authMethod: 'client_secret_post' },
  { key: 'appMetadata', clientId: 'sb-demo-app-metadata', clientSecret: 'sb-demo-app-metadata-secret', name: 'Demo app_metadata writer', scopes: ['read:users', 'update:users_app_metadata'], authMethod: 'client_secret_post' },
  { key: 'rolesManager', clientId: 'sb-demo-roles-manager', clientSecret: 'sb-demo-roles-manager-secret', name: 'Demo roles manager', scopes: ['read:roles', 'create:role_members', 'read:role_members', 'read:users'], authMethod: 'client_secret_post' },
  { key: 'privateKeyJwt', clientId: 'sb-demo-private-key-jwt', name: 'Demo private_key_jwt client', scopes: ['read:users', 'read:roles'], authMethod: 'private_key_jwt' },
] as const satisfies readonly DemoClient[]);

export const DEMO_API = 'https://api.demo.scopebound.test/';

/** Fixed ids of the demo data set, for tests and docs. */
export const DEMO_IDS = Object.freeze({
  firstUser: 'auth0|000000000000000000000001',
  googleUser: 'google-oauth2|100000000000000000201',
  organizations: ['org_demo_acme', 'org_demo_globex', 'org_demo_initech', 'org_demo_umbrella', 'org_demo_hooli'] as const,
  roles: { admin: 'rol_demo_admin', editor: 'rol_demo_editor', viewer: 'rol_demo_viewer', support: 'rol_demo_support' },
  connections: { database: 'con_default_database', google: 'con_demo_google', github: 'con_demo_github' },
  users: 300,
});

function grantsOf(tenant: Tenant, config: ClientConfig, name: string): { audience: string; scope: string[] }[] {
  const grants = config.grants ?? [];
  if (grants.length === 0) return [];
  if (grants.every((g) => typeof g === 'string')) {
    const scopes = (grants as readonly string[]).flatMap((s) => (s === '*' ? SERVER_SCOPES : [s]));
    const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
    if (unknown.length > 0) throw new EmulatorOptionError(`${name}.grants`, `unknown Management API scopes: ${unknown.join(', ')}`);
    return [{ audience: tenant.managementAudience, scope: [...new Set(scopes)] }];
  }
  return (grants as readonly { audience: string; scope: readonly string[] }[]).map((g) => {
    if (typeof g !== 'object' || typeof g.audience !== 'string' || !Array.isArray(g.scope)) {
      throw new EmulatorOptionError(`${name}.grants`, 'use an array of scope strings or of {audience, scope}');
    }
    return { audience: g.audience, scope: [...g.scope] };
  });
}

export async function seedClient(tenant: Tenant, config: ClientConfig, name = 'clients'): Promise<void> {
  if (!config || typeof config.clientId !== 'string' || config.clientId === '') throw new EmulatorOptionError(`${name}.clientId`, 'is required');
  if (config.clientSecret === undefined && config.publicKey === undefined) {
    throw new EmulatorOptionError(name, `client ${config.clientId} needs a clientSecret or a publicKey`);
  }
  const input: JsonObject = {
    name: config.name ?? config.clientId,
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'client_secret_post',
    ...(config.quota
      ? { token_quota: { client_credentials: { enforce: true, ...(config.quota.perHour !== undefined ? { per_hour: config.quota.perHour } : {}), ...(config.quota.perDay !== undefined ? { per_day: config.quota.perDay } : {}) } } }
      : {}),
  };
  const client = await createClientRecord(tenant, input, {
    client_id: config.clientId,
    ...(config.clientSecret !== undefined ? { client_secret: config.clientSecret } : {}),
  });
  if (config.publicKey !== undefined) {
    const cred = await addCredential(tenant, client.client_id, {
      ...(typeof config.publicKey === 'string' ? { pem: config.publicKey } : { jwk: config.publicKey }),
      alg: config.alg ?? 'RS256',
      name: `${client.name} key`,
    });
    client.client_authentication_methods = { private_key_jwt: { credentials: [{ id: cred.id }] } };
    if (config.clientSecret === undefined) {
      client.token_endpoint_auth_method = null;
      delete client.client_secret;
    }
  }
  for (const g of grantsOf(tenant, config, name)) createGrantRecord(tenant, { client_id: client.client_id, audience: g.audience, scope: g.scope });
}

export function seedBase(tenant: Tenant): void {
  createResourceServerRecord(
    tenant,
    {
      name: 'Auth0 Management API',
      identifier: tenant.managementAudience,
      is_system: true,
      token_lifetime: tenant.tokenTtl,
      scopes: (SCOPES as readonly string[]).map((value) => ({ value, description: value })),
    },
    MANAGEMENT_API_RESOURCE_SERVER_ID,
  );
  createConnectionRecord(tenant, { name: DEFAULT_CONNECTION, strategy: 'auth0', options: { brute_force_protection: true, disable_self_service_change_password: false } }, 'con_default_database');
  tenant.state.clients.set(tenant.globalClientId, globalClient(tenant));
}

/**
 * Auth0's global client ("All Applications"): every tenant has one (`GET /clients?is_global=true`); its
 * secret is the tenant API secret, and its id is the audience of legacy signed-secret tokens.
 */
export function globalClient(tenant: Tenant): ClientRecord {
  return {
    tenant: tenant.domain.split('.')[0],
    global: true,
    is_token_endpoint_ip_header_trusted: false,
    name: 'All Applications',
    is_first_party: true,
    oidc_conformant: false,
    sso_disabled: false,
    cross_origin_auth: false,
    custom_login_page_on: true,
    callbacks: [],
    callback_url_template: false,
    grant_types: [],
    client_id: tenant.globalClientId,
    client_secret: tenant.apiSecret,
    jwt_configuration: { alg: 'HS256', lifetime_in_seconds: 36000, secret_encoded: false },
  };
}

export async function seedData(tenant: Tenant, data: SeedData): Promise<void> {
  const s = tenant.state;
  for (const c of data.connections ?? []) {
    if (![...s.connections.values()].some((x) => x.name === c.name)) createConnectionRecord(tenant, c, c.id);
  }
  for (const r of data.resourceServers ?? []) createResourceServerRecord(tenant, r, r.id);
  for (const r of data.roles ?? []) {
    const id = r.id ?? `rol_${r.name.replace(/[^a-z0-9]/gi, '').slice(0, 16)}`;
    s.roles.set(id, { id, name: r.name, description: r.description ?? '' });
    if (r.permissions) s.rolePermissions.set(id, r.permissions.map((p) => ({ ...p })));
  }
  for (const u of data.users ?? []) {
    const connName = (u.connection as string | undefined) ?? DEFAULT_CONNECTION;
    const conn = [...s.connections.values()].find((c) => c.name === connName);
    if (!conn) throw new EmulatorOptionError('seed.users', `connection ${connName} does not exist; add it to seed.connections`);
    const { connection: _c, roles, password, ...rest } = u;
    const user = buildUser(tenant, rest, conn);
    if (typeof u.user_id === 'string' && u.user_id.includes('|')) user.user_id = u.user_id;
    s.users.set(user.user_id, user);
    if (typeof password === 'string') s.passwords.set(user.user_id, password);
    if (roles) s.userRoles.set(user.user_id, new Set(roles));
  }
  for (const o of data.organizations ?? []) {
    const { members, ...rest } = o;
    const org = createOrgRecord(tenant, rest, o.id);
    if (members) s.orgMembers.set(org.id, new Set(members));
  }
  for (const [i, c] of (data.clients ?? []).entries()) await seedClient(tenant, c, `seed.clients[${i}]`);
  for (const [path, value] of Object.entries(data.store ?? {})) s.store.set(path, { ...value });
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Dennis', 'Radia', 'Linus', 'Frances', 'Tim', 'Hedy', 'John', 'Katherine', 'Niklaus', 'Leslie', 'Sophie', 'Vint'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Ritchie', 'Perlman', 'Torvalds', 'Allen', 'Berners-Lee', 'Lamarr', 'McCarthy', 'Johnson', 'Wirth', 'Lamport', 'Wilson', 'Cerf'];
const PLANS = ['free', 'pro', 'enterprise'];

/** The demo data set (deterministic). `publicKeyPem` is the demo private_key_jwt client's key. */
export async function seedDemo(tenant: Tenant, publicKeyPem: string): Promise<void> {
  const random = seededRandom(20240501);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const connections = [
    { id: DEMO_IDS.connections.database, name: DEFAULT_CONNECTION, strategy: 'auth0' },
    { id: DEMO_IDS.connections.google, name: 'google-oauth2', strategy: 'google-oauth2' },
    { id: DEMO_IDS.connections.github, name: 'github', strategy: 'github' },
  ];
  const users: (JsonObject & { connection: string; roles?: string[] })[] = [];
  for (let i = 1; i <= DEMO_IDS.users; i++) {
    const first = FIRST[(i - 1) % FIRST.length]!;
    const last = LAST[Math.floor((i - 1) / FIRST.length) % LAST.length]!;
    const conn = i <= 200 ? DEFAULT_CONNECTION : i <= 260 ? 'google-oauth2' : 'github';
    const provider = conn === DEFAULT_CONNECTION ? 'auth0' : conn;
    const localId = provider === 'auth0' ? String(i).padStart(24, '0') : provider === 'google-oauth2' ? `1000000000000000000${String(i).padStart(2, '0')}` : String(5_000_000 + i);
    const created = new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString();
    const roles = i % 50 === 1 ? [DEMO_IDS.roles.admin] : i % 10 === 2 ? [DEMO_IDS.roles.editor] : i % 4 === 3 ? [DEMO_IDS.roles.viewer] : undefined;
    users.push({
      connection: conn,
      user_id: `${provider}|${localId}`,
      email: `${first}.${last}${i}@example.com`.toLowerCase().replace(/[^a-z0-9.@+-]/g, ''),
      email_verified: random() > 0.2,
      name: `${first} ${last}`,
      given_name: first,
      family_name: last,
      nickname: first.toLowerCase(),
      created_at: created,
      updated_at: created,
      last_login: created,
      logins_count: Math.floor(random() * 40),
      ...(i % 97 === 0 ? { blocked: true } : {}),
      app_metadata: { plan: pick(PLANS), ...(i % 5 === 0 ? { beta: true } : {}) },
      user_metadata: { theme: pick(['dark', 'light']), locale: pick(['en', 'fr', 'de', 'ja']) },
      ...(roles ? { roles } : {}),
    });
  }
  const orgNames = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];
  await seedData(tenant, {
    connections,
    resourceServers: [
      {
        id: 'demo0api0000000000000001',
        name: 'Demo API',
        identifier: DEMO_API,
        scopes: ['read:projects', 'write:projects', 'delete:projects', 'read:billing', 'manage:billing'].map((value) => ({ value, description: value })),
      },
    ],
    roles: [
      { id: DEMO_IDS.roles.admin, name: 'admin', description: 'Everything', permissions: ['read:projects', 'write:projects', 'delete:projects', 'read:billing', 'manage:billing'].map((permission_name) => ({ resource_server_identifier: DEMO_API, permission_name })) },
      { id: DEMO_IDS.roles.editor, name: 'editor', description: 'Edit projects', permissions: ['read:projects', 'write:projects'].map((permission_name) => ({ resource_server_identifier: DEMO_API, permission_name })) },
      { id: DEMO_IDS.roles.viewer, name: 'viewer', description: 'Read projects', permissions: [{ resource_server_identifier: DEMO_API, permission_name: 'read:projects' }] },
      { id: DEMO_IDS.roles.support, name: 'support', description: 'Read billing', permissions: [{ resource_server_identifier: DEMO_API, permission_name: 'read:billing' }] },
    ],
    users,
    organizations: orgNames.map((name, idx) => ({
      id: DEMO_IDS.organizations[idx]!,
      name,
      display_name: name[0]!.toUpperCase() + name.slice(1),
      metadata: { tier: idx % 2 === 0 ? 'gold' : 'silver' },
      enabled_connections: [{ connection_id: DEMO_IDS.connections.database, assign_membership_on_login: false }],
      members: users.filter((_, i) => i % 5 === idx && i % 3 !== 0).map((u) => u.user_id as string),
    })),
    clients: DEMO_CLIENTS.map((c) => ({
      clientId: c.clientId,
      name: c.name,
      ...(c.clientSecret ? { clientSecret: c.clientSecret } : { publicKey: publicKeyPem }),
      grants: [...c.scopes],
    })),
  });
  // Organization roles for the first members, and a couple of user blocks.
  for (const orgId of DEMO_IDS.organizations) {
    const first = [...(tenant.state.orgMembers.get(orgId) ?? [])][0];
    if (first) tenant.state.orgMemberRoles.set(`${orgId} ${first}`, new Set([DEMO_IDS.roles.admin]));
  }
  for (const user of tenant.state.users.values()) {
    if (user.blocked && user.email) tenant.state.userBlocks.set(user.user_id, [{ identifier: user.email, ip: '10.0.0.1', connection: user.identities[0]!.connection }]);
  }
}
