/**
 * `grants apply`: the steps that bring a tenant to a plan (pure `diffPlan`), and running them through the
 * Management API one at a time. Idempotent: applications are found again by the plan member id kept in
 * their client_metadata, so a rerun after a failure only does what is left. Nothing is deleted unless
 * `prune` is set, and then only applications this workflow created.
 */
import type { ManagementClient } from '@scopebound/management';
import type { GrantPlan, PoolMember } from './plan';
import { GrantsError, MEMBER_KEY, WRITE_SCOPES, withAccess, type TenantApp } from './tenant';

export type Step =
  | { readonly kind: 'create-app'; readonly member: PoolMember }
  | { readonly kind: 'create-grant'; readonly member: PoolMember; readonly clientId: string | undefined }
  | { readonly kind: 'update-grant'; readonly member: PoolMember; readonly clientId: string; readonly grantId: string; readonly add: readonly string[]; readonly remove: readonly string[] }
  | { readonly kind: 'unchanged'; readonly member: PoolMember; readonly clientId: string }
  | { readonly kind: 'delete-app'; readonly clientId: string; readonly name: string };

export function diffPlan(plan: GrantPlan, apps: readonly TenantApp[], options: { prune?: boolean } = {}): Step[] {
  const steps: Step[] = [];
  for (const member of plan.members) {
    const app = apps.find((a) => a.member === member.id);
    if (!app) {
      steps.push({ kind: 'create-app', member }, { kind: 'create-grant', member, clientId: undefined });
      continue;
    }
    if (!app.grant) {
      steps.push({ kind: 'create-grant', member, clientId: app.clientId });
      continue;
    }
    const add = member.scopes.filter((s) => !app.grant!.scopes.includes(s));
    const remove = app.grant.scopes.filter((s) => !member.scopes.includes(s));
    steps.push(
      add.length || remove.length
        ? { kind: 'update-grant', member, clientId: app.clientId, grantId: app.grant.id, add, remove }
        : { kind: 'unchanged', member, clientId: app.clientId },
    );
  }
  if (options.prune) {
    for (const app of apps) {
      if (app.member !== undefined && !plan.members.some((m) => m.id === app.member)) steps.push({ kind: 'delete-app', clientId: app.clientId, name: app.name });
    }
  }
  return steps;
}

export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'create-app':
      return `+ create application "${step.member.name}" (machine to machine, client credentials)`;
    case 'create-grant':
      return `+ grant "${step.member.name}" the Management API: ${step.member.scopes.join(' ')}`;
    case 'update-grant':
      return `~ change the grant of "${step.member.name}" (${step.clientId}):${step.add.length ? ` +${step.add.join(' +')}` : ''}${step.remove.length ? ` -${step.remove.join(' -')}` : ''}`;
    case 'unchanged':
      return `= "${step.member.name}" (${step.clientId}) already has exactly ${step.member.scopes.join(' ')}`;
    case 'delete-app':
      return `- delete application "${step.name}" (${step.clientId}), made by an earlier plan`;
  }
}

export interface ApplyHooks {
  /** A new application's secret, as soon as it exists (written to the credentials file before anything else). */
  created(member: PoolMember, clientId: string, clientSecret: string): Promise<void>;
  /** A step finished. */
  done(step: Step): void;
}

/** Run the steps in order; stops at the first failure (the error says which step; a rerun continues). */
export async function runSteps(mgmt: ManagementClient, steps: readonly Step[], audience: string, hooks: ApplyHooks): Promise<Map<string, string>> {
  const view = mgmt.withScopes([...WRITE_SCOPES]);
  const clientIds = new Map<string, string>(); // member id → client id
  for (const step of steps) {
    if (step.kind !== 'create-app' && step.kind !== 'delete-app' && step.clientId) clientIds.set(step.member.id, step.clientId);
    await withAccess(describeStep(step).slice(2), WRITE_SCOPES, async () => {
      switch (step.kind) {
        case 'create-app': {
          const created = (await view.clients.create({
            name: step.member.name,
            app_type: 'non_interactive',
            grant_types: ['client_credentials'],
            client_metadata: { [MEMBER_KEY]: step.member.id },
          } as never)) as { client_id: string; client_secret?: string };
          if (!created.client_secret) throw new GrantsError(`the tenant did not return a secret for "${step.member.name}"`);
          clientIds.set(step.member.id, created.client_id);
          await hooks.created(step.member, created.client_id, created.client_secret);
          break;
        }
        case 'create-grant': {
          const clientId = step.clientId ?? clientIds.get(step.member.id)!;
          await view.clientGrants.create({ client_id: clientId, audience, scope: [...step.member.scopes] } as never);
          break;
        }
        case 'update-grant':
          await view.clientGrants.update({ id: step.grantId }, { scope: [...step.member.scopes] } as never);
          break;
        case 'delete-app':
          await view.clients.delete({ id: step.clientId });
          break;
        case 'unchanged':
          break;
      }
    });
    hooks.done(step);
  }
  return clientIds;
}

/** The secret of an application that exists already (when the credentials file does not have it). */
export async function readSecret(mgmt: ManagementClient, clientId: string): Promise<string> {
  const view = mgmt.withScopes(['read:client_keys']);
  const client = (await withAccess(`read the secret of ${clientId} (it is not in the credentials file)`, ['read:client_keys'], () =>
    view.clients.get({ id: clientId, fields: 'client_id,client_secret', include_fields: true } as never),
  )) as { client_secret?: string };
  if (!client.client_secret) throw new GrantsError(`the tenant returned no secret for ${clientId}; rotate it (clients.rotateSecret) and rerun`);
  return client.client_secret;
}
