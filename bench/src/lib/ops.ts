/**
 * The 20 operations of the cold-stampede load: read operations without parameters, each authorised by a
 * different single scope, with the official SDK's equivalent call.
 */
import type { ManagementClient as Auth0Client } from 'auth0';

export interface StampedeOp {
  /** Scopebound method path, e.g. `guardian.factors.list`. */
  name: string;
  auth0: (client: Auth0Client) => Promise<unknown>;
}

export const STAMPEDE_OPS: readonly StampedeOp[] = [
  { name: 'actions.triggers.list', auth0: (c) => c.actions.triggers.list() },
  { name: 'attackProtection.botDetection.get', auth0: (c) => c.attackProtection.botDetection.get() },
  { name: 'branding.get', auth0: (c) => c.branding.get() },
  { name: 'branding.phone.providers.list', auth0: (c) => c.branding.phone.providers.list() },
  { name: 'branding.phone.templates.list', auth0: (c) => c.branding.phone.templates.list() },
  { name: 'customDomains.getDefault', auth0: (c) => c.customDomains.getDefault() },
  { name: 'emails.provider.get', auth0: (c) => c.emails.provider.get() },
  { name: 'guardian.factors.list', auth0: (c) => c.guardian.factors.list() },
  { name: 'guardian.policies.list', auth0: (c) => c.guardian.policies.list() },
  { name: 'keys.customSigning.get', auth0: (c) => c.keys.customSigning.get() },
  { name: 'keys.signing.list', auth0: (c) => c.keys.signing.list() },
  { name: 'logStreams.list', auth0: (c) => c.logStreams.list() },
  { name: 'prompts.getSettings', auth0: (c) => c.prompts.getSettings() },
  { name: 'rulesConfigs.list', auth0: (c) => c.rulesConfigs.list() },
  { name: 'stats.getActiveUsersCount', auth0: (c) => c.stats.getActiveUsersCount() },
  { name: 'tenants.settings.get', auth0: (c) => c.tenants.settings.get() },
  { name: 'roles.list', auth0: (c) => c.roles.list() },
  { name: 'resourceServers.list', auth0: (c) => c.resourceServers.list() },
  { name: 'connectionProfiles.listTemplates', auth0: (c) => c.connectionProfiles.listTemplates() },
  { name: 'hooks.list', auth0: (c) => c.hooks.list() },
];

/** `mgmt.a.b.c` for a dotted method path. */
export function methodOf(client: unknown, name: string): (...args: unknown[]) => Promise<unknown> {
  let target: any = client;
  for (const part of name.split('.')) target = target?.[part];
  if (typeof target !== 'function') throw new Error(`no method ${name}`);
  return target as (...args: unknown[]) => Promise<unknown>;
}
