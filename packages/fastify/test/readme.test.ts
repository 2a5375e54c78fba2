/** The README example is examples/basic.ts, included verbatim, and runs here over real HTTP against the emulator. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { DEMO_CLIENTS, DEMO_IDS } from '@scopebound/emulator';
import { createApp } from '../examples/basic';
import { emulator, get, traffic } from './helpers';
import { listen } from './listen';

const dir = fileURLToPath(new URL('..', import.meta.url));
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

test('README includes examples/basic.ts verbatim', () => {
  expect(readFileSync(`${dir}README.md`, 'utf8')).toContain('```ts\n' + readFileSync(`${dir}examples/basic.ts`, 'utf8') + '```');
});

test('examples/basic.ts runs: list, roles under a path-wide allow-list, refusal with no traffic', async () => {
  const emu = emulator();
  const c = DEMO_CLIENTS.find((x) => x.key === 'rolesManager') as { clientId: string; clientSecret: string };
  const served = await listen(createApp({ domain: emu.domain, clientId: c.clientId, clientSecret: c.clientSecret, fetch: emu.fetch as typeof fetch }));
  cleanup.push(() => emu.close(), () => served.close());
  expect((await get(`${served.url}/users`)).json).toHaveLength(10);
  expect((await get(`${served.url}/admin/roles`)).json.map((r: { name: string }) => r.name)).toContain('admin');
  const before = traffic(emu).total;
  const refused = await get(`${served.url}/users/${encodeURIComponent(DEMO_IDS.firstUser)}`, { method: 'DELETE' });
  expect(refused.status).toBe(403);
  expect(refused.json.error.code).toBe('scope_not_allowed');
  expect(traffic(emu).total).toBe(before);
});
