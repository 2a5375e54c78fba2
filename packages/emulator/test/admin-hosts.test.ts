import { networkInterfaces } from 'node:os';
import { inspect } from 'node:util';
import type { RequestHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, DEMO_CLIENTS, EmulatorOptionError, type Emulator } from '../src/index';
import { mswHandlers } from '../src/msw';
import { call, form, harness, tokenFor } from './helpers';

const clients = [{ clientId: 'c1', clientSecret: 'c1-secret-value-long', grants: ['read:users'] }];

function externalAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

describe('admin API', () => {
  it('answers loopback HTTP and in-process callers; refuses other peers', async () => {
    const { em } = await harness('in-process', { clients });
    expect((await em.fetch('/__admin/clock')).status).toBe(200);
    const refused = await em.handle(new Request('http://x/__admin/journal'), { peer: '10.1.2.3' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ statusCode: 403, error: 'Forbidden', message: 'The admin API only answers loopback peers (127.0.0.1, ::1) or in-process calls.', errorCode: 'admin_loopback_only' });
    expect((await em.handle(new Request('http://x/__admin/journal'), { peer: '::ffff:127.0.0.1' })).status).toBe(200);
    expect((await em.handle(new Request('http://x/__admin/journal'), { peer: '::1' })).status).toBe(200);
  });

  it.runIf(externalAddress() !== undefined)('refuses the admin API over a real socket from a non-loopback address', async () => {
    const em = createEmulator({ clients });
    const server = await em.listen({ host: '0.0.0.0' });
    try {
      const address = externalAddress()!;
      const remote = await fetch(`http://${address}:${server.port}/__admin/journal`);
      expect(remote.status).toBe(403);
      expect(((await remote.json()) as any).errorCode).toBe('admin_loopback_only');
      expect((await fetch(`http://127.0.0.1:${server.port}/__admin/journal`)).status).toBe(200);
      // The tenant itself still answers non-loopback peers.
      expect((await fetch(`http://${address}:${server.port}/__health`)).status).toBe(200);
    } finally {
      await em.close();
    }
  });

  it('drives state over HTTP: journal, mints, clock, keys, secret, faults, reset, tokens', async () => {
    const { em, send, audience } = await harness('http', { clients, seed: 'demo' });
    const j = async (path: string, init?: RequestInit) => {
      const res = await send(path, init);
      return { status: res.status, body: res.status === 204 ? undefined : ((await res.json()) as any) };
    };
    expect((await j('/__admin')).body.routes).toContain('GET /__admin/mints');
    await tokenFor(send, 'c1', 'c1-secret-value-long', audience);
    expect((await j('/__admin/mints')).body.mints).toEqual({ c1: 1 });
    expect((await j('/__admin/journal?operation=oauth.token')).body.entries).toMatchObject([{ method: 'POST', path: '/oauth/token', clientId: 'c1', status: 200 }]);
    const before = (await j('/__admin/clock')).body.now;
    const adv = await j('/__admin/clock/advance', { method: 'POST', body: JSON.stringify({ ms: 60_000 }) });
    expect(adv.body.now - before).toBeGreaterThanOrEqual(60_000);
    const rotated = await j('/__admin/keys/rotate', { method: 'POST' });
    expect((await j('/__admin/keys')).body.keys[0].kid).toBe(rotated.body.kid);
    const secret = await j('/__admin/secret/rotate', { method: 'POST', body: '{}' });
    expect((await j('/__admin/secret')).body.secret).toBe(secret.body.secret);
    const fault = await j('/__admin/faults', { method: 'POST', body: JSON.stringify({ match: { path: '/api/v2/' }, status: 502 }) });
    expect((await j('/__admin/faults')).body.faults).toMatchObject([{ id: fault.body.id, status: 502 }]);
    expect((await j(`/__admin/faults/${fault.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await j('/__admin/faults', { method: 'POST', body: JSON.stringify({ status: 9000 }) })).status).toBe(400);
    const minted = await j('/__admin/tokens', { method: 'POST', body: JSON.stringify({ sub: 'a@clients', scope: 'read:users delete:users' }) });
    const t = minted.body.access_token as string;
    expect((await call(send, t, 'DELETE', '/api/v2/users/auth0%7C000000000000000000000001')).status).toBe(204);
    expect((await call(send, t, 'GET', '/api/v2/users/auth0%7C000000000000000000000001')).status).toBe(404);
    expect((await j('/__admin/reset', { method: 'POST', body: '{}' })).status).toBe(204);
    expect((await call(send, t, 'GET', '/api/v2/users/auth0%7C000000000000000000000001')).status).toBe(200);
    expect((await j('/__admin/demo/private-key')).body.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    expect((await j('/__admin/nope')).status).toBe(404);
    const health = await j('/__health');
    expect(health.body).toMatchObject({ status: 'ok', domain: em.domain });
  });

  it('serves the built-in explorer by default, a registered handler instead, and nothing with explorer: false', async () => {
    const builtIn = await harness('in-process');
    const page = await builtIn.em.fetch('/explorer');
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>[^<]*[Ee]xplorer/);
    const { em } = await harness('in-process', { explorer: false });
    expect((await em.fetch('/explorer')).status).toBe(404);
    await em.admin.setExplorer(() => new Response('<h1>explorer</h1>', { headers: { 'content-type': 'text/html' } }));
    expect(await (await em.fetch('/explorer')).text()).toBe('<h1>explorer</h1>');
  });
});

// Both ways to get the handlers: the `@scopebound/emulator/msw` entry, and the deprecated untyped method.
describe.each([
  ['@scopebound/emulator/msw', async (em: Emulator) => mswHandlers(em)],
  ['emulator.mswHandlers() (deprecated)', (em: Emulator) => em.mswHandlers() as Promise<RequestHandler[]>],
])('msw host via %s', (_label, handlersOf) => {
  const em = createEmulator({ clients, domain: 'msw-tenant.example.test' });
  const server = setupServer();
  beforeAll(async () => {
    server.use(...(await handlersOf(em)));
    server.listen({ onUnhandledRequest: 'error' });
  });
  afterAll(async () => {
    server.close();
    await em.close();
  });

  it('answers https://{domain}/* through the global fetch', async () => {
    const audience = 'https://msw-tenant.example.test/api/v2/';
    const res = await fetch('https://msw-tenant.example.test/oauth/token', form({ grant_type: 'client_credentials', client_id: 'c1', client_secret: 'c1-secret-value-long', audience }));
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as any;
    const users = await fetch('https://msw-tenant.example.test/api/v2/users', { headers: { authorization: `Bearer ${access_token}` } });
    expect(users.status).toBe(200);
    expect(users.headers.get('x-ratelimit-limit')).toBe('1000');
    await em.admin.setFaults([{ drop: true, times: 1 }]);
    await expect(fetch('https://msw-tenant.example.test/api/v2/users')).rejects.toThrow(TypeError);
  });
});

describe('options and secrets', () => {
  it('validates options up front, naming the option', () => {
    const bad: [object, string][] = [
      [{ domain: 'https://x.test' }, 'domain'],
      [{ seed: 'full' }, 'seed'],
      [{ rateLimit: 'gold' }, 'rateLimit'],
      [{ rateLimit: { tenant: { burst: 0, perSecond: 1 } } }, 'rateLimit.tenant'],
      [{ faults: [{ match: {} }] }, 'faults'],
      [{ tokenTtl: -1 }, 'tokenTtl'],
      [{ apiSecret: 'short' }, 'apiSecret'],
      [{ clock: {} }, 'clock'],
      [{ quota: { perHour: 1.5 } }, 'quota.perHour'],
    ];
    for (const [options, name] of bad) {
      let error: unknown;
      try {
        createEmulator(options as never);
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(EmulatorOptionError);
      expect((error as EmulatorOptionError).option).toBe(name);
      expect((error as EmulatorOptionError).code).toBe('ERR_EMULATOR_OPTION');
    }
  });

  it('reports a bad client config when the emulator starts', async () => {
    const em = createEmulator({ clients: [{ clientId: 'x', grants: ['read:users'] }] });
    await expect(em.ready()).rejects.toMatchObject({ option: 'clients[0]' });
    const em2 = createEmulator({ clients: [{ clientId: 'y', clientSecret: 'y-secret-value-long', grants: ['read:nothing'] }] });
    await expect(em2.ready()).rejects.toMatchObject({ option: 'clients[0].grants' });
  });

  it('never shows secrets in inspect output, errors or the journal', async () => {
    const secret = 'super-secret-client-secret-value';
    const { em, send, audience } = await harness('in-process', { clients: [{ clientId: 's', clientSecret: secret, grants: ['read:users'] }], apiSecret: 'api-secret-not-to-be-printed' });
    await tokenFor(send, 's', secret, audience);
    await send('/oauth/token', form({ grant_type: 'client_credentials', client_id: 's', client_secret: 'wrong-secret-guess', audience }));
    const printed = inspect(em, { depth: 6 }) + JSON.stringify(em.journal.list()) + inspect(em.admin, { depth: 4 });
    for (const s of [secret, 'api-secret-not-to-be-printed', 'wrong-secret-guess']) expect(printed).not.toContain(s);
    const logsToken = await em.admin.mintToken({ sub: 'x@clients', scope: 'read:logs' });
    const logs = await call(send, logsToken, 'GET', '/api/v2/logs?per_page=100');
    expect(JSON.stringify(logs.body)).not.toContain(secret);
    expect(JSON.stringify(logs.body)).not.toContain('wrong-secret-guess');
  });

  it('exports the demo clients with their grants', () => {
    expect(DEMO_CLIENTS.map((c) => c.key)).toEqual(['admin', 'readUsers', 'appMetadata', 'rolesManager', 'privateKeyJwt']);
    expect(DEMO_CLIENTS.find((c) => c.key === 'admin')!.scopes.some((s) => s.includes('current_user'))).toBe(false);
    expect(DEMO_CLIENTS.find((c) => c.key === 'admin')!.scopes.length).toBeGreaterThan(200);
  });
});
