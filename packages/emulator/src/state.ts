/** The tenant's data: plain maps, one per resource, created fresh on every reset. */
import type { KeyObject } from 'node:crypto';
import type { JobRecord } from './jobs/job-record';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: unknown };

export interface UserIdentity {
  connection: string;
  provider: string;
  user_id: string;
  isSocial: boolean;
}

export interface UserRecord {
  user_id: string;
  email?: string;
  email_verified?: boolean;
  username?: string;
  phone_number?: string;
  phone_verified?: boolean;
  name?: string;
  nickname?: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
  blocked?: boolean;
  identities: UserIdentity[];
  app_metadata: JsonObject;
  user_metadata: JsonObject;
  created_at: string;
  updated_at: string;
  last_login?: string;
  logins_count?: number;
  [key: string]: unknown;
}

export interface Permission {
  resource_server_identifier: string;
  permission_name: string;
}

export interface RoleRecord {
  id: string;
  name: string;
  description?: string;
}

export interface ClientRecord {
  client_id: string;
  client_secret?: string;
  name: string;
  app_type?: string;
  grant_types: string[];
  token_endpoint_auth_method?: string | null;
  client_authentication_methods?: { private_key_jwt?: { credentials: { id: string }[] } } | null;
  token_quota?: { client_credentials?: { per_hour?: number; per_day?: number; enforce?: boolean } };
  is_first_party?: boolean;
  global?: boolean;
  [key: string]: unknown;
}

export interface ClientCredential {
  id: string;
  name?: string;
  credential_type: string;
  kid?: string;
  alg?: string;
  created_at: string;
  updated_at: string;
  expires_at?: string;
  /** Verification key (never serialised). */
  key: KeyObject;
}

export interface ClientGrantRecord {
  id: string;
  client_id: string;
  audience: string;
  scope: string[];
  [key: string]: unknown;
}

export interface ResourceServerRecord {
  id: string;
  name?: string;
  identifier: string;
  scopes: { value: string; description?: string }[];
  is_system?: boolean;
  [key: string]: unknown;
}

export interface OrganizationRecord {
  id: string;
  name: string;
  display_name?: string;
  [key: string]: unknown;
}

export interface ConnectionRecord {
  id: string;
  name: string;
  strategy: string;
  enabled_clients?: string[];
  [key: string]: unknown;
}

export interface LogRecord {
  log_id: string;
  date: string;
  type: string;
  description?: string;
  client_id?: string;
  client_name?: string;
  user_id?: string;
  ip?: string;
  user_agent?: string;
  hostname: string;
  details?: JsonObject;
  [key: string]: unknown;
}

export interface BlacklistEntry {
  aud?: string;
  jti: string;
}

export interface BlockEntry {
  identifier: string;
  ip?: string;
  connection?: string;
}

export interface TenantState {
  users: Map<string, UserRecord>;
  /** user_id → password (only kept to prove it is never returned). */
  passwords: Map<string, string>;
  roles: Map<string, RoleRecord>;
  rolePermissions: Map<string, Permission[]>;
  userRoles: Map<string, Set<string>>;
  userPermissions: Map<string, Permission[]>;
  userBlocks: Map<string, BlockEntry[]>;
  clients: Map<string, ClientRecord>;
  clientCredentials: Map<string, ClientCredential[]>;
  clientGrants: Map<string, ClientGrantRecord>;
  resourceServers: Map<string, ResourceServerRecord>;
  organizations: Map<string, OrganizationRecord>;
  orgMembers: Map<string, Set<string>>;
  /** `${orgId} ${userId}` → role ids. */
  orgMemberRoles: Map<string, Set<string>>;
  orgConnections: Map<string, Map<string, JsonObject>>;
  connections: Map<string, ConnectionRecord>;
  logs: LogRecord[];
  logSeq: number;
  blacklist: BlacklistEntry[];
  /** Generic JSON store: concrete path (relative to /api/v2) → object. */
  store: Map<string, JsonObject>;
  /** Users export and import jobs by id. */
  jobs: Map<string, JobRecord>;
}

export function createState(): TenantState {
  return {
    users: new Map(),
    passwords: new Map(),
    roles: new Map(),
    rolePermissions: new Map(),
    userRoles: new Map(),
    userPermissions: new Map(),
    userBlocks: new Map(),
    clients: new Map(),
    clientCredentials: new Map(),
    clientGrants: new Map(),
    resourceServers: new Map(),
    organizations: new Map(),
    orgMembers: new Map(),
    orgMemberRoles: new Map(),
    orgConnections: new Map(),
    connections: new Map(),
    logs: [],
    logSeq: 0,
    blacklist: [],
    store: new Map(),
    jobs: new Map(),
  };
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
