import { createEmulator } from '@scopebound/emulator';

const tenant = createEmulator({
  domain: 'dev-tenant.example.test',
  clients: [{ clientId: 'my-app', clientSecret: 'my-app-secret-0123', grants: ['read:users', 'create:users'] }],
});
const server = await tenant.listen({ port: 0 }); // 127.0.0.1 and an ephemeral port by default

const res = await fetch(`${server.url}/oauth/token`, {
  method: 'POST',
  body: new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: 'my-app',
    client_secret: 'my-app-secret-0123',
    audience: `${server.url}/api/v2/`, // or https://dev-tenant.example.test/api/v2/
  }),
});
const { access_token } = await res.json();

const created = await fetch(`${server.url}/api/v2/users`, {
  method: 'POST',
  headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
  body: JSON.stringify({ connection: 'Username-Password-Authentication', email: 'ada@example.com', password: 'correct horse' }),
});
const user = await created.json();
console.log(created.status, user.user_id.startsWith('auth0|'), user.email); // 201 true ada@example.com
console.log(created.headers.get('x-ratelimit-remaining')); // e.g. 998

await tenant.close(); // closes the server too
