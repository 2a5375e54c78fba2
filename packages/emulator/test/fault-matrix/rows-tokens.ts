/**
 * Fault-matrix rows about tokens: the token endpoint down while a valid token is cached, the expiry boundary
 * (checked by the server against each token's exp), and secret scans of everything echoing servers provoke.
 */
import { clientSecret, createTokenProvider, type TokenEvent } from '@scopebound/token';
import { secretForms } from '@scopebound/token/http';
import { createManagementClient, type ManagementEvent } from '@scopebound/management';
import { emulated } from './rows-api';
import { bearerExp, rawServer, unsignedJwt, type RawServer } from './raw-server';
import { renderings } from '../../../token/test/renderings';

/** Calls while every token request fails (503), with a cached token still valid: failed calls, stale serves. */
export async function tokenEndpointDown(calls: number): Promise<{ failed: number; staleServed: number; tokenErrors: number }> {
  let offset = 0;
  let staleServed = 0;
  let tokenErrors = 0;
  const env = await emulated([], {
    clock: () => Date.now() + offset,
    onToken: (e) => {
      if (e.type === 'stale-served') staleServed += 1;
      if (e.type === 'error') tokenErrors += 1;
    },
  });
  await env.mgmt.users.list();
  await env.em.admin.addFault({ match: { operation: 'oauth.token' }, status: 503 });
  // The provider's clock moves into the token's refresh window (the tenant still accepts the token).
  offset = 86_400_000 - 30_000;
  let failed = 0;
  for (let i = 0; i < calls; i++) {
    await env.mgmt.users.list().catch(() => (failed += 1));
    await env.tokens.settle();
    offset += 200; // past each refresh back-off, so the endpoint is tried again and again
  }
  await env.close();
  return { failed, staleServed, tokenErrors };
}

/** A token endpoint minting `expiresIn`-second tokens (exp claim set) on `server`; counts mints. */
function shortTokens(server: RawServer, expiresIn: number, api: (req: RawServer['seen'][number], res: Parameters<Parameters<RawServer['handle']>[0]>[1]) => void) {
  const stats = { mints: 0 };
  server.handle((req, res) => {
    if (req.url === '/oauth/token') {
      stats.mints += 1;
      const exp = Math.floor(Date.now() / 1000) + expiresIn;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: unsignedJwt({ scope: 'read:users', exp, n: stats.mints }), expires_in: expiresIn, token_type: 'Bearer' }));
      return;
    }
    api(req, res);
  });
  return stats;
}

/** Calls for `durationMs` with 2-second tokens, leeway 0 and refreshAhead 0: tokens the server saw expired. */
export async function expiryBoundary(durationMs: number): Promise<{ calls: number; expired: number; mints: number }> {
  const server = await rawServer();
  let expired = 0;
  const stats = shortTokens(server, 2, (req, res) => {
    const exp = bearerExp(req.headers.authorization);
    if (exp === undefined || exp * 1000 <= Date.now()) expired += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('[]');
  });
  const credentials = clientSecret({ clientId: 'app', clientSecret: 'expiry-secret-value' });
  const mgmt = createManagementClient({ baseUrl: server.url, credentials, retry: false });
  // The client builds its provider with the defaults; a second client shows the leeway 0 / refreshAhead 0.
  const tokens = createTokenProvider({ domain: 'expiry.example.com', baseUrl: server.url, credentials, leeway: 0, refreshAhead: 0 });
  const zero = createManagementClient({ baseUrl: server.url, tokens, retry: false });
  let calls = 0;
  const until = Date.now() + durationMs;
  while (Date.now() < until) {
    await Promise.all([mgmt.users.list(), zero.users.list()]);
    calls += 2;
    await new Promise((r) => setTimeout(r, 5));
  }
  await mgmt.close();
  await zero.close();
  await tokens.settle();
  await server.close();
  return { calls, expired, mints: stats.mints };
}

const SECRET = 'fm secret+with/odd=chars&"quotes"';

/** Servers echoing the client secret (form, basic auth, headers) and the bearer token: leaks found in any output. */
export async function secretScan(): Promise<{ scanned: number; leaks: string[] }> {
  const server = await rawServer();
  const issued: string[] = [];
  let echoTokenEndpoint = false;
  server.handle((req, res) => {
    // Each endpoint echoes what it was sent (the API never sees the client secret; the token endpoint also JSON-escapes it).
    const echo = `${req.body} ${req.headers.authorization ?? ''} ${req.url === '/oauth/token' ? JSON.stringify(SECRET) : ''}`;
    const headers = { 'content-type': 'application/json', 'x-echo': echo, 'x-auth0-requestid': echo, 'retry-after': `1 ${echo}` };
    if (req.url === '/oauth/token' && !echoTokenEndpoint) {
      const token = unsignedJwt({ scope: 'read:users', exp: Math.floor(Date.now() / 1000) + 3600, n: issued.length });
      issued.push(token);
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ access_token: token, expires_in: 3600, token_type: 'Bearer' }));
    }
    res.writeHead(req.url === '/oauth/token' ? 401 : 400, headers);
    res.end(JSON.stringify({ error: 'invalid_client', error_description: echo, message: echo, statusCode: 400 }));
  });
  const outputs: unknown[] = [];
  for (const method of ['post', 'basic'] as const) {
    const credentials = clientSecret({ clientId: 'app', clientSecret: SECRET, authMethod: `client_secret_${method}` });
    echoTokenEndpoint = false;
    const mgmt = createManagementClient({
      baseUrl: server.url,
      credentials,
      retry: false,
      onEvent: (e: ManagementEvent) => outputs.push(e),
    });
    outputs.push(await mgmt.users.list().catch((e: unknown) => e));
    echoTokenEndpoint = true;
    const tokens = createTokenProvider({ domain: 'scan.example.com', baseUrl: server.url, credentials, onEvent: (e: TokenEvent) => outputs.push(e) });
    outputs.push(await tokens.getToken(['read:users']).catch((e: unknown) => e), tokens);
    await mgmt.close();
  }
  await server.close();
  const text = outputs.map(renderings).join('\n');
  const needles = [...secretForms(SECRET, 'app'), ...issued, ...issued.map((t) => t.split('.')[1] as string)];
  return { scanned: outputs.length, leaks: needles.filter((n) => text.includes(n)) };
}
