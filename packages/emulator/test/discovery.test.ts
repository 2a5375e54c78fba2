import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { harness } from './helpers';

const REQUIRED = ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'response_types_supported', 'subject_types_supported', 'id_token_signing_alg_values_supported'];

/** GET with an explicit Host header (fetch does not let a caller set one). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { host } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('OIDC discovery', () => {
  const setup = harness('http', { domain: 'disco.example.test' });

  it('lists every field OIDC discovery requires, endpoints on the origin the request came to, issuer the tenant', async () => {
    const { send, url } = await setup;
    const doc = (await (await send('/.well-known/openid-configuration')).json()) as Record<string, unknown>;
    for (const field of REQUIRED) expect(doc[field], field).toBeDefined();
    expect(doc.issuer).toBe('https://disco.example.test/');
    expect(doc.jwks_uri).toBe(`${url}/.well-known/jwks.json`);
    expect(doc.token_endpoint).toBe(`${url}/oauth/token`);
    expect(doc.subject_types_supported).toEqual(['public']);
    const jwks = await send(new URL(doc.jwks_uri as string).pathname);
    expect(((await jwks.json()) as { keys: unknown[] }).keys).toHaveLength(1);
  });

  it('follows the Host header when it names this server (localhost), and ignores a foreign one', async () => {
    const { url } = await setup;
    const port = new URL(url).port;
    const local = await getWithHost(`${url}/.well-known/openid-configuration`, `localhost:${port}`);
    expect(local.body.jwks_uri).toBe(`http://localhost:${port}/.well-known/jwks.json`);
    const foreign = await getWithHost(`${url}/.well-known/openid-configuration`, 'evil.example:80');
    expect(foreign.body.jwks_uri).toBe(`${url}/.well-known/jwks.json`);
  });

  it('in process, uses the URL the caller fetched', async () => {
    const { em } = await setup;
    const doc = (await (await em.fetch('/.well-known/openid-configuration')).json()) as Record<string, unknown>;
    expect(doc.jwks_uri).toBe('https://disco.example.test/.well-known/jwks.json');
    expect(doc.issuer).toBe('https://disco.example.test/');
  });
});
