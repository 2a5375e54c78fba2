/**
 * What a tenant has today, for `grants audit` and `grants apply`: its machine-to-machine applications and
 * their Management API grants, read through the typed client with exactly the scopes that needs.
 */
import type { ManagementClient } from '@scopebound/management';
import { ScopeboundError } from '@scopebound/token';

export const MEMBER_KEY = 'scopebound_member';

export interface TenantApp {
  readonly clientId: string;
  readonly name: string;
  /** The plan member it was created for (client_metadata), if any. */
  readonly member: string | undefined;
  /** Its Management API client grant, if it has one. */
  readonly grant: { readonly id: string; readonly scopes: readonly string[] } | undefined;
}

/** Raised when the tenant credential cannot read or change applications: says which grant to add. */
export class TenantAccessError extends ScopeboundError {
  static override readonly code: string = 'ERR_GRANTS_TENANT_ACCESS';
  constructor(what: string, scopes: readonly string[], cause: unknown) {
    super(
      'ERR_GRANTS_TENANT_ACCESS',
      `The tenant credential (AUTH0_CLIENT_ID) could not ${what}: it needs ${scopes.join(', ')} on the Auth0 Management API. ` +
        'Grant them to that application (Dashboard → Applications → APIs → Auth0 Management API → Permissions) and run the command again.',
      { cause },
    );
  }
}

/** A step of `grants apply` could not be done for a reason other than a missing scope. */
export class GrantsError extends ScopeboundError {
  static override readonly code: string = 'ERR_GRANTS';
  constructor(message: string) {
    super('ERR_GRANTS', message);
  }
}

/** Scopes the grants commands use on the tenant; a view limited to them. */
export const READ_SCOPES = ['read:clients', 'read:client_grants'] as const;
export const WRITE_SCOPES = ['create:clients', 'create:client_grants', 'update:client_grants', 'delete:clients', 'read:client_keys'] as const;

function denied(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    code === 'ERR_INSUFFICIENT_SCOPE' ||
    code === 'ERR_NO_COVERING_CREDENTIAL' ||
    code === 'ERR_INSUFFICIENT_GRANT' ||
    (code === 'ERR_TOKEN_ENDPOINT' && (error as { status?: number }).status === 403)
  );
}

/** Run `fn`; a refusal for lack of scope becomes a TenantAccessError naming what to grant. */
export async function withAccess<T>(what: string, scopes: readonly string[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (denied(error)) throw new TenantAccessError(what, scopes, error);
    throw error;
  }
}

export async function readTenantApps(mgmt: ManagementClient, audience: string): Promise<TenantApp[]> {
  const view = mgmt.withScopes([...READ_SCOPES]);
  return withAccess('list applications and client grants', READ_SCOPES, async () => {
    const grants = new Map<string, { id: string; scopes: string[] }>();
    for await (const g of view.clientGrants.list.all({ audience })) {
      const grant = g as { id?: string; client_id?: string; scope?: string[] };
      if (grant.client_id && grant.id) grants.set(grant.client_id, { id: grant.id, scopes: [...(grant.scope ?? [])].sort() });
    }
    const apps: TenantApp[] = [];
    for await (const c of view.clients.list.all({ app_type: 'non_interactive' } as never)) {
      const client = c as { client_id?: string; name?: string; client_metadata?: Record<string, unknown>; global?: boolean };
      if (!client.client_id || client.global) continue;
      const member = client.client_metadata?.[MEMBER_KEY];
      apps.push({ clientId: client.client_id, name: client.name ?? '', member: typeof member === 'string' ? member : undefined, grant: grants.get(client.client_id) });
    }
    return apps;
  });
}
