import { createTokenProvider, signedSecret } from '@scopebound/token';

// The original Management API v2 path: the token is built and signed (HS256) here, with exactly the
// requested scopes. No request is made to the tenant.
let apiSecret = process.env.AUTH0_API_SECRET!;

const tokens = createTokenProvider({
  domain: process.env.AUTH0_DOMAIN!,
  credentials: signedSecret({
    secret: () => apiSecret, // a function: rotating the secret invalidates tokens signed with the old one
    encoding: 'utf8', // or 'base64url' for a historic base64url-encoded secret
    claims: 'scope', // or 'legacy-scopes' (then clientId, the global client id, is required)
    ttl: 600, // seconds; null for no `exp`
  }),
});

const first = await tokens.getToken(['read:users', 'update:users']);
console.log(first.scopes); // exactly [ 'read:users', 'update:users' ]

apiSecret = process.env.AUTH0_NEXT_API_SECRET!; // the secret was rotated
const second = await tokens.getToken(['read:users', 'update:users']);
console.log(first.value !== second.value); // true: signed with the new secret
