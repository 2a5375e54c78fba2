import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface CountingTokenServer {
  readonly url: string;
  /** Mints per requested scope set (the request's `scope`, sorted). */
  readonly mints: Map<string, number>;
  totalMints(): number;
  close(): Promise<void>;
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * A client-credentials endpoint on 127.0.0.1 (port 0) that grants everything and counts mints.
 * `grants: 'requested'` answers with the requested scopes (a narrowing tenant), `'all'` with `allScopes`
 * whatever is asked (what real Auth0 does for the Management API).
 */
export async function countingTokenServer(
  options: { grants?: 'requested' | 'all'; allScopes?: readonly string[]; delayMs?: number; expiresIn?: number } = {},
): Promise<CountingTokenServer> {
  const mints = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/oauth/token') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found' }));
        return;
      }
      const form = new URLSearchParams(body);
      const json = form.size === 0 && body.startsWith('{') ? new URLSearchParams(JSON.parse(body) as Record<string, string>) : form;
      const requested = (json.get('scope') ?? '').split(' ').filter(Boolean).sort();
      const key = requested.join(' ');
      mints.set(key, (mints.get(key) ?? 0) + 1);
      const scope = options.grants === 'all' ? [...(options.allScopes ?? requested)].sort().join(' ') : key;
      const now = Math.floor(Date.now() / 1000);
      const expiresIn = options.expiresIn ?? 86_400;
      const accessToken = [
        b64url({ alg: 'RS256', typ: 'JWT' }),
        b64url({ aud: json.get('audience'), sub: `${json.get('client_id')}@clients`, scope, iat: now, exp: now + expiresIn, jti: randomBytes(8).toString('hex') }),
        randomBytes(16).toString('base64url'),
      ].join('.');
      const reply = () =>
        res
          .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
          .end(JSON.stringify({ access_token: accessToken, expires_in: expiresIn, scope, token_type: 'Bearer' }));
      if (options.delayMs) setTimeout(reply, options.delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    mints,
    totalMints: () => [...mints.values()].reduce((a, b) => a + b, 0),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
