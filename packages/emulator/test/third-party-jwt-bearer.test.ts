import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { auth, requiredScopes } from 'express-oauth2-jwt-bearer';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index';
import { form } from './helpers';

const API = 'https://orders.example.test/';
const em = createEmulator({
  domain: 'bearer.example.test',
  seed: { resourceServers: [{ identifier: API, name: 'Orders', scopes: [{ value: 'read:orders' }, { value: 'write:orders' }] }] },
  clients: [
    { clientId: 'orders-reader', clientSecret: 'orders-reader-secret-01', grants: [{ audience: API, scope: ['read:orders'] }] },
  ],
});
let app: Server | undefined;
afterAll(async () => {
  await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
  await em.close();
});

/** A real Express API on loopback protected by express-oauth2-jwt-bearer, issuerBaseURL = the emulator. */
async function startApi(issuerBaseURL: string): Promise<string> {
  const api = express();
  api.use(auth({ issuerBaseURL, audience: API }));
  api.get('/orders', requiredScopes('read:orders'), (_req, res) => void res.json([{ id: 1 }]));
  api.post('/orders', requiredScopes('write:orders'), (_req, res) => void res.status(201).json({ id: 2 }));
  app = await new Promise<Server>((resolve) => {
    const s = api.listen(0, '127.0.0.1', () => resolve(s));
  });
  return `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
}

describe('express-oauth2-jwt-bearer, unmodified, with issuerBaseURL pointing at the emulator', () => {
  it('discovers the keys over plain HTTP, accepts an emulator-issued token and enforces its scopes', async () => {
    const server = await em.listen();
    const apiUrl = await startApi(server.url);
    const res = await fetch(`${server.url}/oauth/token`, form({ grant_type: 'client_credentials', client_id: 'orders-reader', client_secret: 'orders-reader-secret-01', audience: API }));
    const { access_token: token } = (await res.json()) as { access_token: string };
    const ok = await fetch(`${apiUrl}/orders`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual([{ id: 1 }]);
    const denied = await fetch(`${apiUrl}/orders`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(denied.status).toBe(403);
    const forged = await fetch(`${apiUrl}/orders`, { headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` } });
    expect(forged.status).toBe(401);
    // It really fetched discovery and keys from the emulator.
    const paths = em.journal.list().map((e) => e.path);
    expect(paths).toContain('/.well-known/openid-configuration');
    expect(paths).toContain('/.well-known/jwks.json');
  });
});
