/** @scopebound/express over real HTTP, on Express 4 and Express 5, against the emulator. */
import { inspect } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import express5 from 'express';
import express4 from 'express4';
import { createManagementClient } from '@scopebound/management';
import { allowScopes, scopebound, scopeboundErrorHandler } from '../src/index';
import { buildApp } from './app';
import { describeAdapterConformance } from '@scopebound/management/adapter/testing';
import { demoPool, demoSecrets, emulator, expectNoSecrets, fixture, get, serve } from './helpers';

describeAdapterConformance({
  versions: [
    ['Express 4', express4],
    ['Express 5', express5],
  ] as const,
  buildApp: buildApp as never,
  holder: 'req',
  fixture,
  runner: { describe, test, expect, afterEach },
  extra: (express: any, cleanup) => {
    test('scopebound(client) accepts a client you built; req.auth0 never prints a secret', async () => {
      const emu = emulator();
      const client = createManagementClient({ domain: emu.domain, fetch: emu.fetch, credentials: demoPool() });
      const app = express();
      const mw = scopebound(client);
      app.use(mw);
      app.get('/inspect', allowScopes('read:users'), (req: any, res: any) => res.type('text').send(inspect(req.auth0, { depth: 5 }) + JSON.stringify(Object.keys(req))));
      const served = await serve(app);
      cleanup.push(() => emu.close(), () => client.close(), () => served.close());
      const res = await get(`${served.url}/inspect`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('read:users');
      expectNoSecrets(res.text, demoSecrets());
      // auth0 is not enumerable on the request.
      expect(res.text).not.toContain('"auth0"');
    });
  },
});

describe('async handlers that throw (the README pattern) on Express 4 and 5', () => {
  for (const [name, express] of [
    ['Express 4', express4],
    ['Express 5', express5],
  ] as const) {
    test(`${name}: a rejected handler becomes the adapter's error response and the process survives`, async () => {
      const emu = emulator();
      const client = createManagementClient({ domain: emu.domain, fetch: emu.fetch, credentials: demoPool() });
      const app = (express as any)();
      app.use(scopebound(client));
      // The route may read users only: deleting one is refused before any traffic, inside an async handler.
      app.get('/delete', allowScopes('read:users'), async (req: any, res: any) => res.json(await req.auth0.users.delete({ id: 'auth0|1' })));
      app.get('/boom', allowScopes('read:users'), async () => {
        throw new Error('handler bug');
      });
      app.use(scopeboundErrorHandler());
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      const served = await serve(app);
      try {
        const refused = await get(`${served.url}/delete`);
        expect(refused.status).toBe(403);
        expect(JSON.parse(refused.text).error.code).toBe('scope_not_allowed');
        const again = await get(`${served.url}/delete`);
        expect(again.status).toBe(403);
        const boom = await get(`${served.url}/boom`);
        expect(boom.status).toBe(500);
        await new Promise((r) => setTimeout(r, 20));
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
        await served.close();
        await client.close();
        await emu.close();
      }
    });
  }
});
