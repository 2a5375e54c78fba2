/**
 * The minimal local HTTP server (its own process): answers instantly with fixed JSON.
 *
 * - `POST /oauth/token` (client credentials): a JWT-shaped token; `grant: 'all'` grants every scope of the app
 *   whatever was asked (real Auth0), `grant: 'narrow'` grants exactly the requested `scope` (a narrowing tenant).
 *   Optional `mintDelayMs` models a token endpoint's latency. Mints are counted per granted scope set.
 * - `GET /api/v2/users/{id}`: the fixed user JSON. Any other `GET /api/v2/...`: `{}`. Requests without a bearer
 *   token get 401.
 * Parent commands: `stats`, `reset`, `configure`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveParent } from '../lib/child';

export interface FixedServerConfig {
  grant: 'all' | 'narrow';
  /** Scopes granted with `grant: 'all'`. */
  allScopes: string[];
  mintDelayMs: number;
  /** Body of `GET /api/v2/users/{id}`. */
  userJson: string;
}

export interface FixedServerStats {
  mints: number;
  /** Mints per granted scope set (space-joined, sorted). */
  mintsBySet: Record<string, number>;
  /** Distinct client ids that minted. */
  clients: string[];
  apiCalls: number;
  unauthorized: number;
  maxConcurrentSockets: number;
}

export const DEFAULT_USER = {
  user_id: 'auth0|000000000000000000000001',
  email: 'ada@example.com',
  email_verified: true,
  name: 'Ada Lovelace',
  nickname: 'ada',
  picture: 'https://s.gravatar.com/avatar/ada.png',
  created_at: '2024-01-01T00:00:00.000Z',
  updated_at: '2024-06-01T00:00:00.000Z',
  identities: [{ connection: 'Username-Password-Authentication', provider: 'auth0', user_id: '000000000000000000000001', isSocial: false }],
  app_metadata: { plan: 'pro' },
  user_metadata: { theme: 'dark' },
  logins_count: 42,
  last_login: '2024-06-01T00:00:00.000Z',
};

const config: FixedServerConfig = {
  grant: 'all',
  allScopes: ['read:users'],
  mintDelayMs: 0,
  userJson: JSON.stringify(DEFAULT_USER),
  ...(process.argv[2] ? (JSON.parse(process.argv[2]) as Partial<FixedServerConfig>) : {}),
};

let userBody = Buffer.from(config.userJson);
const emptyBody = Buffer.from('{}');
let stats: FixedServerStats;
const mintClients = new Set<string>();
function resetStats() {
  stats = { mints: 0, mintsBySet: {}, clients: [], apiCalls: 0, unauthorized: 0, maxConcurrentSockets: 0 };
  mintClients.clear();
}
resetStats();

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
let tokenSeq = 0;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: Buffer) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}

async function token(req: IncomingMessage, res: ServerResponse) {
  const raw = await readBody(req);
  const type = req.headers['content-type'] ?? '';
  const form: Record<string, string> = type.includes('json') ? (JSON.parse(raw) as Record<string, string>) : Object.fromEntries(new URLSearchParams(raw));
  if (form.grant_type !== 'client_credentials' || !form.client_id) {
    send(res, 400, Buffer.from(JSON.stringify({ error: 'invalid_request', error_description: 'client_credentials only' })));
    return;
  }
  const requested = (form.scope ?? '').split(' ').filter(Boolean);
  const granted = [...new Set(config.grant === 'narrow' && requested.length ? requested : config.allScopes)].sort();
  const scope = granted.join(' ');
  stats.mints += 1;
  stats.mintsBySet[scope] = (stats.mintsBySet[scope] ?? 0) + 1;
  mintClients.add(form.client_id);
  stats.clients = [...mintClients];
  if (config.mintDelayMs > 0) await new Promise((r) => setTimeout(r, config.mintDelayMs));
  const now = Math.floor(Date.now() / 1000);
  const jwt = `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'bench' })}.${b64url({
    iss: 'https://bench.example.com/',
    sub: `${form.client_id}@clients`,
    aud: form.audience ?? 'https://bench.example.com/api/v2/',
    iat: now,
    exp: now + 86_400,
    scope,
    gty: 'client-credentials',
    jti: `bench-${++tokenSeq}`,
  })}.${Buffer.from('signature').toString('base64url')}`;
  send(res, 200, Buffer.from(JSON.stringify({ access_token: jwt, expires_in: 86_400, scope, token_type: 'Bearer' })));
}

let sockets = 0;
const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const url = req.url ?? '/';
  if (req.method === 'POST' && url.startsWith('/oauth/token')) {
    token(req, res).catch(() => send(res, 500, emptyBody));
    return;
  }
  if (url.startsWith('/api/v2/')) {
    stats.apiCalls += 1;
    const auth = req.headers.authorization;
    if (!auth || !auth.startsWith('Bearer ')) {
      stats.unauthorized += 1;
      send(res, 401, Buffer.from('{"statusCode":401,"error":"Unauthorized","message":"Missing authentication"}'));
      return;
    }
    // Drain (GETs have no body) and answer.
    req.resume();
    send(res, 200, url.startsWith('/api/v2/users/') ? userBody : emptyBody);
    return;
  }
  send(res, 404, Buffer.from('{"statusCode":404,"error":"Not Found"}'));
});
server.headersTimeout = 10_000;
server.maxRequestsPerSocket = 0;
server.on('connection', (s) => {
  sockets += 1;
  if (sockets > stats.maxConcurrentSockets) stats.maxConcurrentSockets = sockets;
  s.on('close', () => {
    sockets -= 1;
  });
});

server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
  const { port } = server.address() as AddressInfo;
  serveParent({
    stats: () => stats,
    reset: () => {
      resetStats();
      return true;
    },
    configure: (next: Partial<FixedServerConfig>) => {
      Object.assign(config, next);
      userBody = Buffer.from(config.userJson);
      return true;
    },
  });
  process.send?.({ type: 'ready', port, origin: `http://127.0.0.1:${port}` });
});
