/**
 * `/.well-known/openid-configuration`: the OIDC discovery document, with every endpoint on the origin the
 * request arrived on (so a client pointed at `http://127.0.0.1:PORT` fetches keys from there) while
 * `issuer` stays the tenant's `https://{domain}/`, the `iss` of every token.
 */
import { json } from './http';
import type { Tenant } from './tenant';

export function openIdConfiguration(tenant: Tenant, origin: string): Response {
  return json(200, {
    issuer: tenant.issuer,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/oauth/token`,
    device_authorization_endpoint: `${origin}/oauth/device/code`,
    userinfo_endpoint: `${origin}/userinfo`,
    mfa_challenge_endpoint: `${origin}/mfa/challenge`,
    jwks_uri: `${origin}/.well-known/jwks.json`,
    registration_endpoint: `${origin}/oidc/register`,
    revocation_endpoint: `${origin}/oauth/revoke`,
    end_session_endpoint: `${origin}/oidc/logout`,
    scopes_supported: ['openid', 'profile', 'offline_access', 'name', 'given_name', 'family_name', 'nickname', 'email', 'email_verified', 'picture', 'created_at', 'identities', 'phone', 'address'],
    response_types_supported: ['code', 'token', 'id_token', 'code token', 'code id_token', 'token id_token', 'code token id_token'],
    code_challenge_methods_supported: ['S256', 'plain'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['public'],
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'RS384', 'PS256'],
    id_token_signing_alg_values_supported: ['HS256', 'RS256', 'PS256'],
    claims_supported: ['aud', 'auth_time', 'created_at', 'email', 'email_verified', 'exp', 'family_name', 'given_name', 'iat', 'identities', 'iss', 'name', 'nickname', 'phone_number', 'picture', 'sub'],
    request_uri_parameter_supported: false,
    request_parameter_supported: false,
  });
}
