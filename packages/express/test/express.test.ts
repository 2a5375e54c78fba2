/** @scopebound/express over real HTTP, on Express 4 and Express 5, against the emulator. */
import { inspect } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import express5 from 'express';
import express4 from 'express4';
import { createManagementClient } from '@scopebound/management';
import { allowScopes, scopebound } from '../src/index';
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
