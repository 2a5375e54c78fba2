import { clientSecret, createTokenProvider, memoryStore, type TokenEvent } from '@scopebound/token';

// Three M2M applications with narrow grants. Each call gets a token from the least privileged
// application that covers it (real Auth0 grants an application all of its scopes, so narrow
// applications are how least privilege is achieved against a real tenant).
const tokens = createTokenProvider({
  domain: process.env.AUTH0_DOMAIN!,
  credentials: [
    clientSecret({ clientId: 'admin-app', clientSecret: process.env.ADMIN_SECRET!, grants: ['read:users', 'update:users', 'delete:users'] }),
    clientSecret({ clientId: 'reader-app', clientSecret: process.env.READER_SECRET!, grants: ['read:users'] }),
    clientSecret({ clientId: 'logs-app', clientSecret: process.env.LOGS_SECRET! }), // grants learned from its first token
  ],
  store: memoryStore({ max: 500 }), // the default; use redisStore() from @scopebound/redis for a fleet
  refreshAhead: 60_000,
  onEvent: (event: TokenEvent) => {
    if (event.type === 'mint') console.log('minted', event.clientId, event.scopes.join(' '), `${event.durationMs} ms`);
    if (event.type === 'error') console.warn('token error', event.code, event.clientId);
  },
});

console.log((await tokens.getToken(['read:users'])).clientId); // reader-app
console.log((await tokens.getToken(['delete:users'])).clientId); // admin-app
console.log((await tokens.getToken(['read:logs'])).clientId); // logs-app
try {
  await tokens.getToken(['delete:clients']);
} catch (error) {
  console.log((error as { code: string }).code); // ERR_NO_COVERING_CREDENTIAL
}
