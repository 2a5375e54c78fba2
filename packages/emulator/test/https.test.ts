import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmulator, EmulatorOptionError } from '../src/index';
import { createLocalCa } from '../src/tls/local-ca';

/** One HTTPS request through node:https with the given CA (or none). */
function send(url: string, ca: string | undefined, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: init.method ?? 'GET', headers: init.headers, ...(ca ? { ca } : {}) }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const em = createEmulator({
  domain: 'tls.example.test',
  clients: [{ clientId: 'pk-app', publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(), grants: ['read:users'] }],
});
afterAll(() => em.close());

describe('listen({ https: true })', () => {
  const started = em.listen({ https: true });

  it('serves TLS with a certificate for localhost and 127.0.0.1 signed by the CA it exposes', async () => {
    const server = await started;
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = new X509Certificate(server.ca!);
    expect(ca.ca).toBe(true);
    expect((await send(`${server.url}/__health`, server.ca)).body.status).toBe('ok');
    expect((await send(`https://localhost:${server.port}/__health`, server.ca)).body.status).toBe('ok');
  });

  it('is refused by a client that does not trust the CA', async () => {
    const server = await started;
    await expect(send(`${server.url}/__health`, undefined)).rejects.toThrow(/self[- ]signed|unable to (get|verify)/i);
  });

  it('accepts private_key_jwt assertions whose aud is the HTTPS origin', async () => {
    const server = await started;
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer('pk-app')
      .setSubject('pk-app')
      .setAudience(`${server.url}/`)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .setJti(`jti-${now}`)
      .sign(keys.privateKey);
    const res = await send(`${server.url}/oauth/token`, server.ca, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        audience: `${server.url}/api/v2/`,
      }).toString(),
    });
    expect(res.status).toBe(200);
    const users = await send(`${server.url}/api/v2/users`, server.ca, { headers: { authorization: `Bearer ${res.body.access_token}` } });
    expect(users.status).toBe(200);
    expect(Array.isArray(users.body)).toBe(true);
  });

  it('serves a certificate it is given, reporting its CA', async () => {
    const given = createLocalCa();
    const server = await em.listen({ https: { cert: given.cert, key: given.key, ca: given.ca } });
    expect(server.ca).toBe(given.ca);
    expect((await send(`${server.url}/__health`, given.ca)).status).toBe(200);
    await server.close();
  });

  it('refuses an https option that is neither true nor {cert, key}', async () => {
    await expect(em.listen({ https: { cert: 'x' } as never })).rejects.toThrow(EmulatorOptionError);
  });
});
