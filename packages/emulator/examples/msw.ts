import { setupServer } from 'msw/node';
import { createEmulator } from '@scopebound/emulator';
import { mswHandlers } from '@scopebound/emulator/msw';

const tenant = createEmulator({
  domain: 'my-tenant.eu.auth0.com',
  clients: [{ clientId: 'my-app', clientSecret: 'my-app-secret-0123', grants: ['read:roles'] }],
});
const server = setupServer(...mswHandlers(tenant));
server.listen({ onUnhandledRequest: 'error' });

// Code under test keeps its real URLs; msw routes https://my-tenant.eu.auth0.com/* to the emulator.
const res = await fetch('https://my-tenant.eu.auth0.com/oauth/token', {
  method: 'POST',
  body: new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: 'my-app',
    client_secret: 'my-app-secret-0123',
    audience: 'https://my-tenant.eu.auth0.com/api/v2/',
  }),
});
const { access_token } = await res.json();
const roles = await fetch('https://my-tenant.eu.auth0.com/api/v2/roles', { headers: { authorization: `Bearer ${access_token}` } });
console.log(roles.status, await roles.json()); // 200 []

server.close();
await tenant.close();
