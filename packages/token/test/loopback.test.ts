/** Real HTTP over loopback: the provider's own fetch against a node:http token endpoint. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { clientSecret, createTokenProvider } from '../src/index';
import { fakeJwt } from './helpers';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const cred = () => clientSecret({ clientId: 'app', clientSecret: 'loopback-secret' });

describe('over real HTTP on 127.0.0.1', () => {
  it('mints through baseUrl with the tenant domain as audience', async () => {
    let mints = 0;
    let audience: string | null = null;
    const baseUrl = await listen((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        mints++;
        audience = new URLSearchParams(body).get('audience');
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ access_token: fakeJwt({ scope: 'read:users' }), expires_in: 86400, token_type: 'Bearer', scope: 'read:users' }));
      });
    });
    const provider = createTokenProvider({ baseUrl, domain: 'tenant.example.com', credentials: cred() });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => provider.getToken(['read:users'])));
    expect(new Set(tokens.map((t) => t.value)).size).toBe(1);
    expect(mints).toBe(1);
    expect(audience).toBe('https://tenant.example.com/api/v2/');
  });

  it('a server that never answers times out with ERR_TOKEN_TIMEOUT', async () => {
    const baseUrl = await listen(() => {
      // never answers
    });
    const provider = createTokenProvider({ baseUrl, credentials: cred(), timeoutMs: 200, retry: { retries: 0 } });
    await expect(provider.getToken(['read:users'])).rejects.toMatchObject({ code: 'ERR_TOKEN_TIMEOUT', timeoutMs: 200 });
  });

  it('a closed port is ERR_TOKEN_NETWORK', async () => {
    const baseUrl = await listen(() => undefined);
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
    const provider = createTokenProvider({ baseUrl, credentials: cred(), retry: { retries: 0 } });
    await expect(provider.getToken(['read:users'])).rejects.toMatchObject({ code: 'ERR_TOKEN_NETWORK' });
  });
});
