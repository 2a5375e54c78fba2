import { createEmulator, DEMO_CLIENTS } from '@scopebound/emulator';

const tenant = createEmulator({ seed: 'demo' });
const reader = DEMO_CLIENTS.find((c) => c.key === 'readUsers')!; // sb-demo-read-users: read:users only

// In-process: no sockets. Any host works; only the path counts.
const res = await tenant.fetch('/oauth/token', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    grant_type: 'client_credentials',
    client_id: reader.clientId,
    client_secret: reader.clientSecret,
    audience: `https://${tenant.domain}/api/v2/`,
  }),
});
const { access_token, scope } = await res.json();
const auth = { authorization: `Bearer ${access_token}` };

const users = await tenant.fetch(`https://${tenant.domain}/api/v2/users?q=app_metadata.plan:pro&per_page=5`, { headers: auth });
console.log(scope, users.status, (await users.json()).length); // read:users 200 5

const denied = await tenant.fetch('/api/v2/users/auth0|000000000000000000000001', { method: 'DELETE', headers: auth });
console.log(denied.status, (await denied.json()).message); // 403 Insufficient scope, expected any of: delete:users,delete:current_user

await tenant.close();
