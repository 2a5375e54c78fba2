/** The contract between the /api/v2 pipeline and a resource's handlers: the request they get, what they return. */
import type { HeadersRecord } from '../http';
import type { Principal } from '../principal';
import type { OperationDef } from '../table';
import type { Tenant } from '../tenant';

export interface OpRequest {
  readonly tenant: Tenant;
  readonly op: OperationDef;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly principal: Principal;
  /** Concrete path relative to /api/v2, e.g. `/users/auth0|1`. */
  readonly path: string;
  /** The origin the request arrived on (for URLs the tenant hands back, e.g. an export's download link). */
  readonly origin: string;
  readonly ip?: string;
  readonly userAgent?: string;
}

export interface OpResult {
  status: number;
  body?: unknown;
  headers?: HeadersRecord;
}

export type OpHandler = (req: OpRequest) => OpResult | Promise<OpResult>;
export type HandlerTable = Readonly<Record<string, OpHandler>>;

export const ok = (body: unknown, status = 200): OpResult => ({ status, body });
export const noContent = (): OpResult => ({ status: 204 });
