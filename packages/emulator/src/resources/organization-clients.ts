/**
 * Clients associated with an organization (`/organizations/{id}/clients`, an overlay addition current SDKs
 * call): kept in the store at `/organizations/{id}/clients/{client_id}`; listed with checkpoint pages.
 */
import { badRequest } from '../http';
import { paginate } from '../paginate';
import type { JsonObject } from '../state';
import { findClient } from './clients';
import { body, logApi } from './common';
import { findOrg } from './organizations';
import { noContent, ok, type HandlerTable, type OpRequest } from './types';

const prefix = (req: OpRequest) => `/organizations/${req.params.id!}/clients/`;

function clientIds(req: OpRequest, key: string): unknown[] {
  const list = body(req).clients;
  if (!Array.isArray(list) || list.length === 0) throw badRequest(`Payload validation error: 'clients must be a non-empty array of ${key}'.`);
  return list;
}

export const organizationClientsHandlers: HandlerTable = {
  'organizations.clients.list': (req) => {
    findOrg(req.tenant, req.params.id!);
    const items: JsonObject[] = [];
    for (const [key, value] of req.tenant.state.store) {
      if (!key.startsWith(prefix(req))) continue;
      const client = req.tenant.state.clients.get(String(value.client_id));
      if (client) items.push({ ...value, client: { name: client.name, app_type: client.app_type } });
    }
    return ok(paginate(req.op, req.query, items));
  },
  'organizations.clients.create': (req) => {
    findOrg(req.tenant, req.params.id!);
    const added: JsonObject[] = [];
    for (const entry of clientIds(req, '{client_id, use_for_member_access?}')) {
      const { client_id: clientId, use_for_member_access: member } = (entry ?? {}) as { client_id?: unknown; use_for_member_access?: unknown };
      if (typeof clientId !== 'string') throw badRequest("Payload validation error: 'Missing required property: client_id' on property clients.");
      findClient(req.tenant, clientId);
      const record = { client_id: clientId, use_for_member_access: member === true };
      req.tenant.state.store.set(`${prefix(req)}${clientId}`, record);
      added.push(record);
    }
    logApi(req, 'Associate clients with an organization');
    return ok({ clients: added }, 201);
  },
  'organizations.clients.delete': (req) => {
    findOrg(req.tenant, req.params.id!);
    for (const id of clientIds(req, 'client ids')) req.tenant.state.store.delete(`${prefix(req)}${String(id)}`);
    logApi(req, 'Disassociate clients from an organization');
    return noContent();
  },
};
