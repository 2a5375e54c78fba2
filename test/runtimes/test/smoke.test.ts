/**
 * The runtime smoke suites: the emulator runs here in Node on 127.0.0.1; each runtime runs the bundled smoke
 * module as a child process (workerd through Miniflare) and reports its results, asserted step by step.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { createEmulator, DEMO_CLIENTS, DEMO_IDS } from '@scopebound/emulator';
import type { SmokeConfig, SmokeResult } from '../src/smoke';
import { bundleFor, RUNTIMES, TIME_LIMIT_MS } from './runtimes';

/** Inside the package (ignored by git), so that bundles resolve nothing outside themselves by accident. */
const outdir = fileURLToPath(new URL('../.bundles', import.meta.url));
mkdirSync(outdir, { recursive: true });
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
const secretOf = (key: string) => DEMO_CLIENTS.find((c) => c.key === key)?.clientSecret as string;
const DOMAIN = 'smoke.scopebound.test';

async function smokeOn(runtime: (typeof RUNTIMES)[number]): Promise<Record<string, SmokeResult>> {
  const emu = createEmulator({ domain: DOMAIN, seed: 'demo' });
  const server = await emu.listen();
  try {
    await emu.admin.addFault({ match: { operation: 'clients.list' }, times: 1, status: 403, body: { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope, expected any of: read:clients', errorCode: 'insufficient_scope' } });
    await emu.admin.addFault({ match: { operation: 'roles.list' }, times: 1, status: 429, headers: { 'retry-after': '3' }, body: { statusCode: 429, error: 'Too Many Requests', message: 'Global limit has been reached' } });
    const config: SmokeConfig = {
      origin: server.url,
      audience: `https://${DOMAIN}/api/v2/`,
      userId: DEMO_IDS.firstUser,
      secrets: { admin: secretOf('admin'), appMetadata: secretOf('appMetadata'), apiSecret: await emu.admin.apiSecret() },
      privateKeyPem: (await emu.admin.demoPrivateKey()).privateKeyPem,
    };
    const bundle = await bundleFor(runtime, outdir);
    const stdout = await runtime.run(bundle, btoa(JSON.stringify(config)));
    const line = stdout.split('\n').find((l) => l.startsWith('SMOKE '));
    if (!line) throw new Error(`${runtime.name} printed no results:\n${stdout}`);
    const results = JSON.parse(line.slice(6)) as SmokeResult[];
    const users = (await emu.admin.journal.list()).filter((e) => e.path.startsWith('/api/v2/users'));
    expect(users.length).toBeGreaterThan(0);
    return Object.fromEntries(results.map((r) => [r.name, r]));
  } finally {
    await server.close();
    await emu.close();
  }
}

for (const runtime of RUNTIMES) {
  describe(`smoke on ${runtime.name}`, () => {
    let results: Record<string, SmokeResult> = {};
    test('runs to the end', async () => {
      results = await smokeOn(runtime);
      expect(Object.keys(results)).toHaveLength(7);
      expect(Object.values(results).filter((r) => !r.ok)).toEqual([]);
    }, TIME_LIMIT_MS + 20_000);
    for (const kind of ['client secret', 'private_key_jwt', 'signed secret']) {
      test(`mint with ${kind}, then users.get`, () => expect(results[`mint: ${kind}`]).toEqual({ name: `mint: ${kind}`, ok: true, detail: DEMO_IDS.firstUser }));
    }
    test('users.list.all pages through every user (per_page 3)', () => {
      const r = results['users.list: pagination'];
      expect(r?.ok).toBe(true);
      const { count, distinct } = r?.detail as { count: number; distinct: number };
      expect(count).toBeGreaterThan(3);
      expect(distinct).toBe(count);
    });
    test('users.update with app_metadata', () => expect(results['users.update: app_metadata']?.detail).toMatchObject({ plan: 'runtime-smoke' }));
    test('a 403 is an InsufficientScopeError, a 429 a RateLimitError', () => {
      expect(results['403 → InsufficientScopeError']?.detail).toEqual({ name: 'InsufficientScopeError', code: 'ERR_INSUFFICIENT_SCOPE' });
      expect(results['429 → RateLimitError']?.detail).toEqual({ name: 'RateLimitError', code: 'ERR_RATE_LIMITED' });
    });
  });
}
