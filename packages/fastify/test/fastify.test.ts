/** @scopebound/fastify over real HTTP on Fastify 5, against the emulator: the shared conformance suite, and Fastify specifics. */
import { inspect } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import fastify from 'fastify';
import { createManagementClient, InvalidOptionError } from '@scopebound/management';
import { UnknownScopeError } from '@scopebound/token';
import { describeAdapterConformance } from '@scopebound/management/adapter/testing';
import { allowScopes, scopebound, scopeboundErrorHandler } from '../src/index';
import { buildApp } from './app';
import { demoPool, demoSecrets, emulator, expectNoSecrets, fixture, get, serve, traffic } from './helpers';

describeAdapterConformance({
  versions: [['Fastify 5', fastify]] as const,
  buildApp: buildApp as never,
  holder: 'req',
  fixture,
  runner: { describe, test, expect, afterEach },
  extra: (_f, cleanup) => {
    test('scopebound(client): request.auth0 never prints a secret; usage labels are route templates', async () => {
      const emu = emulator();
      const client = createManagementClient({ domain: emu.domain, fetch: emu.fetch, credentials: demoPool() });
      const app = fastify();
      app.register(scopebound(client));
      app.get('/inspect/:id', { config: { allowScopes: ['read:users'] } }, async (req, reply) =>
        reply.type('text/plain').send(inspect(req.auth0, { depth: 5 }) + JSON.stringify(Object.keys(req))),
      );
      await app.listen({ port: 0, host: '127.0.0.1' });
      cleanup.push(() => emu.close(), () => client.close(), () => app.close());
      const res = await get(`http://127.0.0.1:${(app.server.address() as { port: number }).port}/inspect/x`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('read:users');
      expectNoSecrets(res.text, demoSecrets());
      expect(res.text).not.toContain('"auth0"');
    });

    test('errors that are not ours reach Fastify\'s default handler with their own status; ours are still mapped', async () => {
      const emu = emulator();
      const built = buildApp(fastify, { domain: emu.domain, fetch: emu.fetch, credentials: demoPool() });
      built.fastify.get('/boom', async () => {
        throw Object.assign(new Error('teapot'), { statusCode: 418 });
      });
      const served = await serve(built.app);
      cleanup.push(() => emu.close(), () => served.close());
      expect((await get(`${served.url}/boom`)).status).toBe(418);
      const refused = await get(`${served.url}/users/x`, { method: 'DELETE' });
      expect([refused.status, refused.json.error.code]).toEqual([403, 'scope_not_allowed']);
      expect(traffic(emu).total).toBe(0);
      await built.fastify.close();
    });
  },
});

describe('route config', () => {
  test('an unknown scope in config.allowScopes fails at registration, with a suggestion', async () => {
    const app = fastify();
    app.register(scopebound({ domain: 'a.auth0.com', credentials: demoPool() }));
    app.register(async (r) => {
      r.get('/x', { config: { allowScopes: ['read:user'] } }, async () => 'x');
    });
    await expect(app.ready()).rejects.toThrow(UnknownScopeError);
    await expect(app.ready()).rejects.toThrow(/Did you mean "read:users"/);
  });

  test('allowScopes() validates up front', () => {
    expect(() => allowScopes()).toThrow(InvalidOptionError);
    expect(allowScopes('read:users', ['read:roles', 'read:users']).scopes).toEqual(['read:roles', 'read:users']);
  });

  test('bad error-handler options are an InvalidOptionError', () => {
    expect(() => scopeboundErrorHandler(null as never)).toThrow(InvalidOptionError);
  });
});
