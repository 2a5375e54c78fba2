/**
 * The emulator's hand-written validation table for request bodies of the stateful resources, keyed by
 * operation name. It mirrors the constraints of Auth0's document for these operations (types, required
 * properties, additionalProperties, lengths, patterns, enums); nested objects that the emulator does not
 * interpret are checked for their top-level type only. Operations without an entry accept any JSON object.
 */
import type { Definitions, Schema, SchemaType } from './validate';

type Shallow = SchemaType | readonly SchemaType[] | { enum: readonly unknown[] };

function shallow(required: readonly string[], props: Record<string, Shallow>, extra: Record<string, Schema> = {}): Schema {
  const properties: Record<string, Schema> = {};
  for (const [k, v] of Object.entries(props)) {
    properties[k] = typeof v === 'string' || Array.isArray(v) ? { type: v as SchemaType } : (v as Schema);
  }
  return { type: 'object', additionalProperties: false, required, properties: { ...properties, ...extra } };
}

const str = (min?: number, max?: number): Schema => ({
  type: 'string',
  ...(min !== undefined ? { minLength: min } : {}),
  ...(max !== undefined ? { maxLength: max } : {}),
});
const nstr = (min?: number, max?: number): Schema => ({ ...str(min, max), type: ['string', 'null'] });
const bool: Schema = { type: 'boolean' };
const metadata: Schema = { type: 'object', additionalProperties: true };
const stringArray = (minItems?: number): Schema => ({
  type: 'array',
  items: { type: 'string', minLength: 1 },
  ...(minItems !== undefined ? { minItems } : {}),
});

export const definitions: Definitions = {
  Permission: {
    type: 'object',
    additionalProperties: false,
    required: ['resource_server_identifier', 'permission_name'],
    properties: { resource_server_identifier: { type: 'string' }, permission_name: { type: 'string' } },
  },
  Permissions: { type: 'object', additionalProperties: false, required: ['permissions'], properties: { permissions: { type: 'array', minItems: 1, items: { $ref: 'Permission' } } } },
  OrganizationMetadata: { type: 'object', additionalProperties: { type: ['string', 'null'], maxLength: 255 }, maxProperties: 25 },
  ConnectionForOrganization: {
    type: 'object',
    additionalProperties: false,
    required: ['connection_id'],
    properties: { connection_id: { type: 'string' }, assign_membership_on_login: bool, show_as_button: bool, is_signup_enabled: bool },
  },
  OrganizationBranding: {
    type: 'object',
    additionalProperties: false,
    properties: { logo_url: { type: 'string' }, colors: { type: 'object', additionalProperties: false, properties: { primary: { type: 'string' }, page_background: { type: 'string' } } } },
  },
  Roles: { type: 'object', additionalProperties: false, required: ['roles'], properties: { roles: stringArray(1) } },
  Members: { type: 'object', additionalProperties: true, required: ['members'], properties: { members: stringArray(1) } },
};

const phone = '^\\+[0-9]{1,15}$';

const clientProps: Record<string, Shallow> = {
  name: 'string', description: 'string', logo_uri: 'string', callbacks: 'array', oidc_logout: 'object',
  oidc_backchannel_logout: 'object', session_transfer: ['object', 'null'], allowed_origins: 'array', web_origins: 'array',
  client_aliases: 'array', allowed_clients: 'array', allowed_logout_urls: 'array', grant_types: 'array',
  is_token_endpoint_ip_header_trusted: 'boolean', app_type: 'string', is_first_party: 'boolean', oidc_conformant: 'boolean',
  jwt_configuration: 'object', encryption_key: ['object', 'null'], sso: 'boolean', cross_origin_authentication: 'boolean',
  sso_disabled: 'boolean', custom_login_page_on: 'boolean', custom_login_page: 'string', custom_login_page_preview: 'string',
  form_template: 'string', addons: 'object', client_metadata: 'object', mobile: 'object', initiate_login_uri: 'string',
  refresh_token: ['object', 'null'], default_organization: ['object', 'null'], organization_discovery_methods: ['array', 'null'],
  require_pushed_authorization_requests: 'boolean', require_proof_of_possession: 'boolean', signed_request_object: 'object',
  token_vault_privileged_access: 'object', par_request_expiry: ['integer', 'null'], express_configuration: ['object', 'null'],
  my_organization_configuration: ['object', 'null'], async_approval_notification_channels: ['array', 'null'],
  third_party_security_mode: { enum: ['strict', 'permissive'] },
  redirection_policy: { enum: ['allow_always', 'open_redirect_protection'] },
  compliance_level: { enum: ['none', 'fapi1_adv_pkj_par', 'fapi1_adv_mtls_par', 'fapi2_sp_pkj_mtls', 'fapi2_sp_mtls_mtls', null] },
};

const resourceServerProps: Record<string, Shallow> = {
  name: 'string', scopes: 'array', signing_alg: { enum: ['HS256', 'RS256', 'RS512', 'PS256'] }, signing_secret: 'string',
  allow_offline_access: 'boolean', allow_online_access: 'boolean', allow_online_access_with_ephemeral_sessions: 'boolean',
  token_lifetime: 'integer', token_dialect: { enum: ['access_token', 'access_token_authz', 'rfc9068_profile', 'rfc9068_profile_authz'] },
  skip_consent_for_verifiable_first_party_clients: 'boolean', enforce_policies: 'boolean', token_encryption: ['object', 'null'],
  consent_policy: { enum: ['transactional-authorization-with-mfa', null] }, authorization_details: ['array', 'null'],
  proof_of_possession: ['object', 'null'], subject_type_authorization: 'object', authorization_policy: ['object', 'null'],
};

const connectionProps: Record<string, Shallow> = {
  display_name: 'string', is_domain_connection: 'boolean', show_as_button: 'boolean', realms: 'array', metadata: 'object',
  authentication: 'object', connected_accounts: 'object', cross_app_access_requesting_app: 'object',
};

export const bodySchemas: Readonly<Record<string, Schema>> = {
  'users.create': {
    type: 'object',
    additionalProperties: false,
    required: ['connection'],
    properties: {
      email: { type: 'string', format: 'email' }, phone_number: { type: 'string', pattern: phone }, user_metadata: metadata,
      blocked: bool, email_verified: bool, phone_verified: bool, app_metadata: metadata, given_name: str(1, 150),
      family_name: str(1, 150), name: str(1, 300), nickname: str(1, 300), picture: { type: 'string' },
      user_id: { type: 'string', maxLength: 255, pattern: '^\\S*$' }, connection: str(1), password: str(1),
      verify_email: bool, username: str(1, 128),
    },
  },
  // The document declares this body open, but Auth0 refuses unknown top-level properties (the overlay's
  // closedBodies closes the client's type the same way): a typo such as `appMetadata` is a 400, never stored.
  'users.update': {
    type: 'object',
    additionalProperties: false,
    properties: {
      blocked: bool, email_verified: bool, email: { type: ['string', 'null'], format: 'email' },
      phone_number: { type: ['string', 'null'], pattern: phone }, phone_verified: bool, user_metadata: metadata,
      app_metadata: metadata, given_name: nstr(1, 150), family_name: nstr(1, 150), name: nstr(1, 300), nickname: nstr(1, 300),
      picture: nstr(), verify_email: bool, verify_phone_number: bool, password: nstr(1), connection: str(1), client_id: str(1),
      username: nstr(1, 128),
    },
  },
  'users.roles.assign': { $ref: 'Roles' },
  'users.roles.delete': { $ref: 'Roles' },
  'users.permissions.create': { $ref: 'Permissions' },
  'users.permissions.delete': { $ref: 'Permissions' },
  'roles.create': shallow(['name'], {}, { name: str(1), description: str() }),
  'roles.update': shallow([], {}, { name: str(1), description: str() }),
  'roles.permissions.add': { $ref: 'Permissions' },
  'roles.permissions.delete': { $ref: 'Permissions' },
  'roles.users.assign': { type: 'object', additionalProperties: false, required: ['users'], properties: { users: stringArray(1) } },
  'clients.create': shallow(['name'], clientProps, {
    name: str(1),
    token_endpoint_auth_method: { enum: ['none', 'client_secret_post', 'client_secret_basic'] },
    client_authentication_methods: { type: 'object' },
    organization_usage: { enum: ['deny', 'allow', 'require'] },
    token_quota: { type: 'object' },
  }),
  'clients.update': shallow([], clientProps, {
    name: str(1),
    client_secret: str(1),
    token_endpoint_auth_method: { enum: ['none', 'client_secret_post', 'client_secret_basic', null] },
    client_authentication_methods: { type: ['object', 'null'] },
    organization_usage: { enum: ['deny', 'allow', 'require', null] },
    token_quota: { type: ['object', 'null'] },
  }),
  'clients.credentials.create': shallow(['credential_type'], {
    credential_type: { enum: ['public_key', 'cert_subject_dn', 'x509_cert'] }, name: 'string', subject_dn: 'string', pem: 'string',
    alg: { enum: ['RS256', 'RS384', 'PS256'] }, parse_expiry_from_cert: 'boolean', expires_at: 'string', kid: 'string',
  }),
  'clientGrants.create': shallow(['audience'], {}, {
    client_id: { type: 'string' }, audience: str(1), default_for: { enum: ['third_party_clients'] },
    organization_usage: { enum: ['deny', 'allow', 'require'] }, allow_any_organization: bool,
    scope: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 280 } }, subject_type: { enum: ['client', 'user'] },
    authorization_details_types: { type: 'array', items: str(1, 255) }, allow_all_scopes: bool,
  }),
  'clientGrants.update': {
    ...shallow([], {}, {
      scope: { type: ['array', 'null'], items: { type: 'string', minLength: 1, maxLength: 280 } },
      organization_usage: { enum: ['deny', 'allow', 'require', null] }, allow_any_organization: { type: ['boolean', 'null'] },
      authorization_details_types: { type: 'array', items: str(1, 255) }, allow_all_scopes: { type: ['boolean', 'null'] },
    }),
    minProperties: 1,
  },
  'organizations.create': shallow(['name'], {}, {
    name: { type: 'string', minLength: 1, maxLength: 50, pattern: '^[a-z0-9_-]+$' }, display_name: str(1, 255),
    branding: { $ref: 'OrganizationBranding' }, metadata: { $ref: 'OrganizationMetadata' },
    enabled_connections: { type: 'array', items: { $ref: 'ConnectionForOrganization' } }, token_quota: { type: 'object' },
  }),
  'organizations.update': shallow([], {}, {
    name: { type: 'string', minLength: 1, maxLength: 50, pattern: '^[a-z0-9_-]+$' }, display_name: str(1, 255),
    branding: { $ref: 'OrganizationBranding' }, metadata: { $ref: 'OrganizationMetadata' }, token_quota: { type: ['object', 'null'] },
  }),
  'organizations.members.create': { $ref: 'Members' },
  'organizations.members.delete': { $ref: 'Members' },
  'organizations.members.roles.assign': { $ref: 'Roles' },
  'organizations.members.roles.delete': { $ref: 'Roles' },
  'organizations.enabledConnections.add': { $ref: 'ConnectionForOrganization' },
  'organizations.enabledConnections.update': shallow([], { assign_membership_on_login: 'boolean', show_as_button: 'boolean', is_signup_enabled: 'boolean' }),
  'connections.create': shallow(['name', 'strategy'], connectionProps, {
    name: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$' },
    strategy: str(1), options: { type: 'object' }, enabled_clients: { type: 'array', items: { type: 'string' } },
  }),
  'connections.update': shallow([], connectionProps, {
    options: { type: ['object', 'null'] }, enabled_clients: { type: ['array', 'null'], items: { type: 'string' } },
  }),
  'resourceServers.create': shallow(['identifier'], resourceServerProps, { identifier: str(1) }),
  'resourceServers.update': shallow([], resourceServerProps),
  'blacklists.add': shallow(['jti'], { aud: 'string' }, { jti: str(1) }),
};
