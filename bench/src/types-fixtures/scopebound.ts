// A typical user file (Scopebound): the type-check and hover benchmark compiles it against the built package.
import { createManagementClient } from '@scopebound/management';
import { clientSecret } from '@scopebound/token';

const mgmt = createManagementClient({
  domain: 'example.eu.auth0.com',
  credentials: clientSecret({ clientId: 'id', clientSecret: 'secret' }),
});

export async function work(): Promise<number> {
  const user = await mgmt.users.get({ id: 'auth0|1' });
  await mgmt.users.update({ id: 'auth0|1' }, { app_metadata: { plan: 'pro' } });
  const users = await mgmt.users.list({ q: 'email:"a@b.c"', per_page: 10 });
  const roles = await mgmt.users.roles.list({ id: 'auth0|1' });
  await mgmt.organizations.create({ name: 'acme' });
  await mgmt.organizations.members.create({ id: 'org_1' }, { members: ['auth0|1'] });
  const clients = await mgmt.clients.list({ per_page: 5 });
  await mgmt.roles.create({ name: 'admin' });
  const emails = users.map((u) => u.email);
  return emails.length + roles.length + clients.length + (user.email ? 1 : 0);
}
