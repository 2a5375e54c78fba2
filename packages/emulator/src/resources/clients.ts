/** Clients (applications), their credentials (public keys for private_key_jwt) and client grants. */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { ApiProblem, badRequest, conflict, notFound } from '../http';
import { boolParam, paginate, project } from '../paginate';
import type { ClientCredential, ClientGrantRecord, ClientRecord, JsonObject } from '../state';
import type { PublicJwk } from '../seed';
import { canonicalAudience, nowIso, type Tenant } from '../tenant';
import { body, logApi, newId } from './common';
import { noContent, ok, type HandlerTable, type OpRequest } from './types';

export function findClient(tenant: Tenant, id: string): ClientRecord {
  const client = tenant.state.clients.get(id);
  if (!client) throw notFound('The client does not exist', 'inexistent_client');
  return client;
}

/** A client as the API returns it; the secret only for callers holding read:client_keys (or on create). */
export function publicClient(client: ClientRecord, withSecret: boolean): JsonObject {
  const out: JsonObject = { ...client };
  if (!withSecret) delete out.client_secret;
  return out;
}

export function publicCredential(c: ClientCredential): JsonObject {
  const { key: _key, ...rest } = c;
  return rest;
}

/** Import a public key given as PEM (SPKI or certificate) or as a JWK. */
export function importPublicKey(input: string | PublicJwk): KeyObject {
  if (typeof input === 'string') return createPublicKey(input);
  return createPublicKey({ key: input as JsonWebKey, format: 'jwk' });
}

export async function addCredential(
  tenant: Tenant,
  clientId: string,
  input: { pem?: string; jwk?: PublicJwk; alg?: string; name?: string; kid?: string; credential_type?: string; expires_at?: string },
): Promise<ClientCredential> {
  let key: KeyObject;
  try {
    key = importPublicKey(input.pem ?? (input.jwk as PublicJwk));
  } catch {
    throw badRequest('Payload validation error: \'pem must be a PEM-encoded public key or certificate\' on property pem.');
  }
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') {
    throw badRequest("Payload validation error: 'Only RSA public keys are supported' on property pem.");
  }
  const now = nowIso(tenant);
  const kid = input.kid ?? (await calculateJwkThumbprint(key.export({ format: 'jwk' }) as JWK));
  const credential: ClientCredential = {
    id: newId.credential(),
    credential_type: input.credential_type ?? 'public_key',
    name: input.name ?? '',
    kid,
    alg: input.alg ?? 'RS256',
    created_at: now,
    updated_at: now,
    ...(input.expires_at ? { expires_at: input.expires_at } : {}),
    key,
  };
  const list = tenant.state.clientCredentials.get(clientId) ?? [];
  list.push(credential);
  tenant.state.clientCredentials.set(clientId, list);
  return credential;
}

/** Credentials usable for private_key_jwt: those the client's `client_authentication_methods` references. */
export function activeCredentials(tenant: Tenant, client: ClientRecord): ClientCredential[] {
  const refs = client.client_authentication_methods?.private_key_jwt?.credentials ?? [];
  const all = tenant.state.clientCredentials.get(client.client_id) ?? [];
  return all.filter((c) => refs.some((r) => r.id === c.id));
}

async function applyAuthMethods(tenant: Tenant, client: ClientRecord, methods: unknown): Promise<void> {
  if (methods === null) {
    client.client_authentication_methods = null;
    return;
  }
  const pkj = (methods as { private_key_jwt?: { credentials?: JsonObject[] } }).private_key_jwt;
  if (!pkj) {
    client.client_authentication_methods = methods as ClientRecord['client_authentication_methods'];
    return;
  }
  const refs: { id: string }[] = [];
  for (const cred of pkj.credentials ?? []) {
    if (typeof cred.id === 'string') {
      const exists = (tenant.state.clientCredentials.get(client.client_id) ?? []).some((c) => c.id === cred.id);
      if (!exists) throw notFound(`The credential ${cred.id} does not exist.`, 'inexistent_credential');
      refs.push({ id: cred.id });
    } else {
      const created = await addCredential(tenant, client.client_id, cred as { pem?: string });
      refs.push({ id: created.id });
    }
  }
  client.client_authentication_methods = { private_key_jwt: { credentials: refs } };
  client.token_endpoint_auth_method = null;
  delete client.client_secret;
}

export async function createClientRecord(tenant: Tenant, input: JsonObject, fixed: { client_id?: string; client_secret?: string } = {}): Promise<ClientRecord> {
  const client: ClientRecord = {
    tenant: tenant.domain.split('.')[0],
    global: false,
    is_first_party: true,
    oidc_conformant: true,
    callbacks: [],
    allowed_origins: [],
    web_origins: [],
    grant_types: ['authorization_code', 'implicit', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_method: 'client_secret_post',
    app_type: 'non_interactive',
    jwt_configuration: { alg: 'RS256', lifetime_in_seconds: 36000, secret_encoded: false },
    ...input,
    name: input.name as string,
    client_id: fixed.client_id ?? newId.client(),
  } as ClientRecord;
  if (input.app_type === 'non_interactive' && !input.grant_types) client.grant_types = ['client_credentials'];
  if (client.token_endpoint_auth_method !== 'none') client.client_secret = fixed.client_secret ?? newId.clientSecret();
  delete client.client_authentication_methods;
  tenant.state.clients.set(client.client_id, client);
  if (input.client_authentication_methods !== undefined) await applyAuthMethods(tenant, client, input.client_authentication_methods);
  return client;
}

export function createGrantRecord(tenant: Tenant, input: JsonObject, fixedId?: string): ClientGrantRecord {
  const clientId = input.client_id as string | undefined;
  if (!clientId) throw badRequest("Payload validation error: 'Missing required property: client_id'.");
  findClient(tenant, clientId);
  const audience = canonicalAudience(tenant, input.audience as string);
  const rs = [...tenant.state.resourceServers.values()].find((r) => r.identifier === audience);
  if (!rs) throw notFound(`No resource server found for audience ${audience}.`, 'inexistent_resource_server');
  const scope = (input.scope as string[] | undefined) ?? [];
  const unknown = scope.filter((s) => !rs.scopes.some((x) => x.value === s));
  if (unknown.length > 0) throw badRequest(`Scopes not defined by resource server ${audience}: ${unknown.join(', ')}.`, 'invalid_scope');
  for (const g of tenant.state.clientGrants.values()) {
    if (g.client_id === clientId && g.audience === audience) throw conflict('A client grant for this client and audience already exists.', 'client_grant_conflict');
  }
  const grant: ClientGrantRecord = {
    id: fixedId ?? newId.grant(),
    client_id: clientId,
    audience,
    scope: [...scope],
    subject_type: (input.subject_type as string | undefined) ?? 'client',
    ...(input.organization_usage ? { organization_usage: input.organization_usage } : {}),
    ...(input.allow_any_organization !== undefined ? { allow_any_organization: input.allow_any_organization } : {}),
  };
  tenant.state.clientGrants.set(grant.id, grant);
  return grant;
}

function findGrant(tenant: Tenant, id: string): ClientGrantRecord {
  const g = tenant.state.clientGrants.get(id);
  if (!g) throw notFound('The client grant does not exist.', 'inexistent_client_grant');
  return g;
}

const canReadKeys = (req: OpRequest) => req.principal.scopes.has('read:client_keys');

export const clientsHandlers: HandlerTable = {
  'clients.create': async (req) => {
    const client = await createClientRecord(req.tenant, body(req));
    logApi(req, 'Create a client');
    return ok(publicClient(client, true), 201);
  },
  'clients.get': (req) => ok(project(publicClient(findClient(req.tenant, req.params.id!), canReadKeys(req)), req.query)),
  'clients.list': (req) => {
    const q = req.query;
    let clients = [...req.tenant.state.clients.values()];
    const isGlobal = boolParam(q, 'is_global');
    if (isGlobal !== undefined) clients = clients.filter((c) => Boolean(c.global) === isGlobal);
    const firstParty = boolParam(q, 'is_first_party');
    if (firstParty !== undefined) clients = clients.filter((c) => Boolean(c.is_first_party) === firstParty);
    const appType = q.get('app_type');
    if (appType) {
      const types = appType.split(',');
      clients = clients.filter((c) => types.includes(String(c.app_type)));
    }
    return ok(paginate(req.op, q, clients.map((c) => project(publicClient(c, canReadKeys(req)), q))));
  },
  'clients.update': async (req) => {
    const client = findClient(req.tenant, req.params.id!);
    const patch = body(req);
    const next: ClientRecord = { ...client };
    for (const [k, v] of Object.entries(patch)) {
      if (k === 'client_authentication_methods') continue;
      if (v === null) delete next[k];
      else next[k] = v;
    }
    req.tenant.state.clients.set(client.client_id, next);
    if (patch.client_authentication_methods !== undefined) await applyAuthMethods(req.tenant, next, patch.client_authentication_methods);
    logApi(req, 'Update a client');
    return ok(publicClient(next, canReadKeys(req)));
  },
  'clients.delete': (req) => {
    const s = req.tenant.state;
    const client = findClient(req.tenant, req.params.id!);
    s.clients.delete(client.client_id);
    s.clientCredentials.delete(client.client_id);
    for (const [id, g] of s.clientGrants) if (g.client_id === client.client_id) s.clientGrants.delete(id);
    logApi(req, 'Delete a client');
    return noContent();
  },
  'clients.rotateSecret': (req) => {
    const client = findClient(req.tenant, req.params.id!);
    client.client_secret = newId.clientSecret();
    logApi(req, 'Rotate a client secret');
    return ok(publicClient(client, true));
  },
  'clients.credentials.list': (req) => {
    findClient(req.tenant, req.params.client_id!);
    return ok((req.tenant.state.clientCredentials.get(req.params.client_id!) ?? []).map(publicCredential));
  },
  'clients.credentials.get': (req) => {
    findClient(req.tenant, req.params.client_id!);
    const c = (req.tenant.state.clientCredentials.get(req.params.client_id!) ?? []).find((x) => x.id === req.params.credential_id);
    if (!c) throw notFound('The credential does not exist.', 'inexistent_credential');
    return ok(publicCredential(c));
  },
  'clients.credentials.create': async (req) => {
    findClient(req.tenant, req.params.client_id!);
    const b = body(req);
    if (b.credential_type !== 'public_key') {
      throw new ApiProblem(400, `credential_type ${String(b.credential_type)} is not supported by the emulator; use public_key.`, 'operation_not_supported');
    }
    if (typeof b.pem !== 'string') throw badRequest("Payload validation error: 'Missing required property: pem'.");
    const c = await addCredential(req.tenant, req.params.client_id!, b as { pem: string });
    return ok(publicCredential(c), 201);
  },
  'clients.credentials.delete': (req) => {
    const client = findClient(req.tenant, req.params.client_id!);
    const list = req.tenant.state.clientCredentials.get(client.client_id) ?? [];
    const idx = list.findIndex((x) => x.id === req.params.credential_id);
    if (idx < 0) throw notFound('The credential does not exist.', 'inexistent_credential');
    list.splice(idx, 1);
    const refs = client.client_authentication_methods?.private_key_jwt?.credentials;
    if (refs) client.client_authentication_methods = { private_key_jwt: { credentials: refs.filter((r) => r.id !== req.params.credential_id) } };
    return noContent();
  },
  'clientGrants.create': (req) => {
    const grant = createGrantRecord(req.tenant, body(req));
    logApi(req, 'Create client grant');
    return ok(grant, 201);
  },
  'clientGrants.get': (req) => ok(findGrant(req.tenant, req.params.id!)),
  'clientGrants.list': (req) => {
    const q = req.query;
    let grants = [...req.tenant.state.clientGrants.values()];
    const audience = q.get('audience');
    if (audience) grants = grants.filter((g) => g.audience === canonicalAudience(req.tenant, audience));
    const clientId = q.get('client_id');
    if (clientId) grants = grants.filter((g) => g.client_id === clientId);
    const any = boolParam(q, 'allow_any_organization');
    if (any !== undefined) grants = grants.filter((g) => Boolean(g.allow_any_organization) === any);
    const subject = q.get('subject_type');
    if (subject) grants = grants.filter((g) => g.subject_type === subject);
    return ok(paginate(req.op, q, grants));
  },
  'clientGrants.update': (req) => {
    const grant = findGrant(req.tenant, req.params.id!);
    const patch = body(req);
    const next: ClientGrantRecord = { ...grant };
    for (const [k, v] of Object.entries(patch)) {
      if (k === 'scope') next.scope = v === null ? [] : [...(v as string[])];
      else if (v === null) delete next[k];
      else next[k] = v;
    }
    req.tenant.state.clientGrants.set(grant.id, next);
    logApi(req, 'Update client grant');
    return ok(next);
  },
  'clientGrants.delete': (req) => {
    findGrant(req.tenant, req.params.id!);
    req.tenant.state.clientGrants.delete(req.params.id!);
    logApi(req, 'Delete client grant');
    return noContent();
  },
  'clientGrants.organizations.list': (req) => {
    findGrant(req.tenant, req.params.id!);
    return ok(paginate(req.op, req.query, []));
  },
};
