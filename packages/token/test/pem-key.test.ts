/** PEM keys read with Web APIs only: PKCS#1 is wrapped into PKCS#8, sizes and types are read from the DER. */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createTokenProvider, privateKeyJwt } from '../src/index';
import { readPemPrivateKey } from '../src/credentials/pem-key';
import { createTokenServer, DOMAIN, mswServer } from './helpers';

const server = mswServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 3072, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });

it('reads the modulus size of PKCS#1 and PKCS#8 keys, and the key type', () => {
  expect(readPemPrivateKey(pkcs1.privateKey)).toMatchObject({ type: 'rsa', modulusBits: 3072 });
  const pk8 = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  expect(readPemPrivateKey(pk8.privateKey)).toMatchObject({ type: 'rsa', modulusBits: 2048 });
  const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  expect(readPemPrivateKey(pss.privateKey)).toMatchObject({ type: 'rsa-pss', modulusBits: 2048 });
});

it('a PKCS#1 key signs an assertion (WebCrypto import of the wrapped PKCS#8) that verifies with the public key', async () => {
  const ts = createTokenServer({ grants: { 'pk1-app': ['read:users'] } });
  server.use(ts.handler);
  const provider = createTokenProvider({ domain: DOMAIN, credentials: privateKeyJwt({ clientId: 'pk1-app', privateKey: pkcs1.privateKey }) });
  await provider.getToken(['read:users']);
  const assertion = ts.calls[0]!.form.get('client_assertion')!;
  const { payload } = await jwtVerify(assertion, createPublicKey(pkcs1.publicKey), { algorithms: ['RS256'], issuer: 'pk1-app' });
  expect(payload.sub).toBe('pk1-app');
});
