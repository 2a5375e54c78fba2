/** @scopebound/koa over real HTTP, on Koa 2 and Koa 3 (with @koa/router), against the emulator. */
import { inspect } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import { createManagementClient, InvalidOptionError, ScopeboundError } from '@scopebound/management';
import { describeAdapterConformance } from '@scopebound/management/adapter/testing';
import { demoPool, demoSecrets, emulator, expectNoSecrets, fixture, get, serve } from './helpers';
import { allowScopes, scopebound, scopeboundErrors } from '../src/index';
import { buildApp } from './app';

describeAdapterConformance({
  versions: [
    ['Koa 2', Koa2],
    ['Koa 3', Koa3],
  ] as const,
  buildApp: buildApp as never,
  holder: 'ctx',
  fixture,
  runner: { describe, test, expect, afterEach },
  touchExtra: { sameInState: true },
  extra: (Koa: any, cleanup) => {
    test('scopebound(client) accepts a client you built; ctx.auth0 and ctx.state never print a secret', async () => {
      const emu = emulator();
      const client = createManagementClient({ domain: emu.domain, fetch: emu.fetch, credentials: demoPool() });
      const app = new Koa();
      app.use(scopebound(client));
      app.use(allowScopes('read:users'));
      app.use((ctx: any) => {
        ctx.type = 'text';
        ctx.body = inspect(ctx.auth0, { depth: 5 }) + JSON.stringify(Object.keys(ctx)) + JSON.stringify(ctx.state) + inspect(ctx.state);
      });
      const served = await serve(app.callback());
      cleanup.push(() => emu.close(), () => client.close(), () => served.close());
      const res = await get(`${served.url}/inspect`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('read:users');
      expectNoSecrets(res.text, demoSecrets());
      // auth0 is not enumerable on the context nor on the state.
      expect(res.text).not.toContain('"auth0"');
    });
  },
});

test('bad error-middleware options are an InvalidOptionError (a ScopeboundError), like every option error', () => {
  expect(() => scopeboundErrors(null as never)).toThrow(InvalidOptionError);
  expect(() => scopeboundErrors(null as never)).toThrow(ScopeboundError);
});
