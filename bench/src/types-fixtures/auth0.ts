// The same user file with the official SDK (`auth0`): the type-check and hover benchmark compiles both.
import { ManagementClient } from 'auth0';

const mgmt = new ManagementClient({ domain: 'example.eu.auth0.com', clientId: 'id', clientSecret: 'secret' });

export async function work(): Promise<number> {
  const user = await mgmt.users.get('auth0|1');
  await mgmt.users.update('auth0|1', { app_metadata: { plan: 'pro' } });
  const users = await mgmt.users.list({ q: 'email:"a@b.c"', per_page: 10 });
  const roles = await mgmt.users.roles.list('auth0|1');
  await mgmt.organizations.create({ name: 'acme' });
  await mgmt.organizations.members.create('org_1', { members: ['auth0|1'] });
  const clients = await mgmt.clients.list({ per_page: 5 });
  await mgmt.roles.create({ name: 'admin' });
  const emails = users.data.map((u) => u.email);
  return emails.length + roles.data.length + clients.data.length + (user.email ? 1 : 0);
}
