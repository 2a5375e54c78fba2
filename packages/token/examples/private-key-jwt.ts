import { createTokenProvider, privateKeyJwt } from '@scopebound/token';

const tokens = createTokenProvider({
  domain: process.env.AUTH0_DOMAIN!,
  credentials: privateKeyJwt({
    clientId: process.env.AUTH0_CLIENT_ID!,
    privateKey: process.env.AUTH0_PRIVATE_KEY!, // PEM (PKCS#8 or PKCS#1), or a KeyObject / CryptoKey
    alg: 'RS256', // or 'RS384', 'PS256'
  }),
});

const token = await tokens.getToken(['read:users', 'read:roles']);
console.log('granted', token.scopes.join(' '));
