/** @scopebound/hono over real HTTP on Node (Hono 4 via @hono/node-server), against the emulator. */
import { inspect } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { createManagementClient, InvalidOptionError } from '@scopebound/management';
import { describeAdapterConformance } from '@scopebound/management/adapter/testing';
import { allowScopes, scopebound, scopeboundErrorHandler, type ScopeboundEnv } from '../src/index';
import { buildApp } from './app';
import { demoPool, demoSecrets, emulator, expectNoSecrets, fixture } from './helpers';

describeAdapterConformance({
  versions: [['Hono 4', Hono]] as const,
  buildApp: buildAppForSuite,
  holder: 'ctx',
  fixture,
  runner: { describe, test, expect, afterEach },
  extra: (_h, cleanup) => {
    test('scopebound(client): c.var.auth0 never prints a secret; an HTTPException keeps its own response', async () => {
      const emu = emulator();
      const client = createManagementClient({ domain: emu.domain, fetch: emu.fetch, credentials: demoPool() });
      cleanup.push(() => emu.close(), () => client.close());
      const app = new Hono<ScopeboundEnv>();
      app.onError(scopeboundErrorHandler());
      app.use(scopebound(client));
      app.get('/inspect', allowScopes('read:users'), (c) => c.text(inspect(c.var.auth0, { depth: 5 }) + String(c.var.auth0.allowedScopes)));
      app.get('/teapot', () => {
        throw new HTTPException(418, { message: 'teapot' });
      });
      const res = await app.request('/inspect');
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(text).toContain('read:users');
      expectNoSecrets(text, demoSecrets());
      expect((await app.request('/teapot')).status).toBe(418);
    });
  },
});

function buildAppForSuite(H: typeof Hono, options: Record<string, unknown>, errorOptions?: Record<string, unknown>) {
  return buildApp(H, options as never, errorOptions as never);
}

describe('options', () => {
  test('allowScopes() validates up front; bad error-handler options are an InvalidOptionError', () => {
    expect(() => allowScopes('read:user')).toThrow(/Did you mean "read:users"/);
    expect(() => scopeboundErrorHandler(null as never)).toThrow(InvalidOptionError);
  });
});
