import { clientSecret, createTokenProvider } from '@scopebound/token';

const tokens = createTokenProvider({
  domain: process.env.AUTH0_DOMAIN!, // e.g. "my-tenant.eu.auth0.com"
  credentials: clientSecret({
    clientId: process.env.AUTH0_CLIENT_ID!,
    clientSecret: process.env.AUTH0_CLIENT_SECRET!,
  }),
});

// Minted on first use, then served from the cache until shortly before it expires.
const token = await tokens.getToken(['read:users']);
const res = await fetch(`https://${process.env.AUTH0_DOMAIN}/api/v2/users?per_page=5`, {
  headers: { authorization: `Bearer ${token.value}` },
});
console.log(res.status, token.scopes, new Date(token.expiresAt).toISOString());
console.log(token); // AccessToken {"scopes":[...],"expiresAt":...,"clientId":"...","value":"[redacted]"}
