/**
 * `createManagementClient`: a client of every operation of the Management API, over the whole generated table.
 * Apart from client.ts so that a resource slice (`@scopebound/management/resources/users`) never loads the table.
 */
import { createClientFor, type ManagementClient } from './client';
import { wholeTable } from './client-table';
import { operations } from './generated/operations';
import type { ManagementClientOptions } from './options';

const WHOLE_TABLE = /* @__PURE__ */ wholeTable(operations);

/** A client of every operation of the Management API. */
export function createManagementClient(options: ManagementClientOptions): ManagementClient {
  return createClientFor(WHOLE_TABLE, options);
}
