/** The README example is examples/basic.ts, included verbatim, and runs here over real HTTP against the emulator. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { DEMO_CLIENTS, DEMO_IDS } from '@scopebound/emulator';
import { createApp } from '../examples/basic';
import { emulator, get, traffic } from './helpers';
import { listen } from './listen';

const file = (name: string) => readFileSync(new URL(`../${name}`, import.meta.url), 'utf8');

test('README includes examples/basic.ts verbatim', () => {
  expect(file('README.md')).toContain(`\`\`\`ts\n${file('examples/basic.ts')}\`\`\``);
});

test.each([
  ['GET', '/users', 200, 1],
  ['GET', '/admin/roles', 200, 1],
  ['DELETE', `/users/${encodeURIComponent(DEMO_IDS.firstUser)}`, 403, 0],
] as const)('examples/basic.ts: %s %s → %i (%i API calls)', async (method, path, status, calls) => {
  const emu = emulator();
  const roles = DEMO_CLIENTS.find((x) => x.key === 'rolesManager') as { clientId: string; clientSecret: string };
  const served = await listen(createApp({ domain: emu.domain, clientId: roles.clientId, clientSecret: roles.clientSecret, fetch: emu.fetch as typeof fetch }));
  try {
    const res = await get(`${served.url}${path}`, { method });
    expect([res.status, traffic(emu).api]).toEqual([status, calls]);
    if (status === 403) expect(res.json.error.code).toBe('scope_not_allowed');
  } finally {
    await served.close();
    await emu.close();
  }
});
