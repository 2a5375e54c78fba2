/**
 * The adapters' conformance suite against @scopebound/hono running INSIDE workerd (Miniflare, no nodejs_compat), with
 * the emulator in Node on 127.0.0.1 and every hop over real HTTP: test → Node listener → workerd → emulator (and, for
 * multi-tenant apps, workerd → the harness's tenant directory). The suite's Node-only `extra` tests are not run here.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { describeAdapterConformance, get, serve } from '@scopebound/management/adapter/testing';
import { RUNTIME_HEADER } from '../src/hono-conformance-wire';
import { bundleFor, RUNTIMES } from './runtimes';
import { fixture, readBundle, workerApp } from './hono-workerd';

const outdir = fileURLToPath(new URL('../.bundles-hono', import.meta.url));
mkdirSync(outdir, { recursive: true });
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const workerd = RUNTIMES.find((r) => r.name === 'workerd')!;
let script = '';
beforeAll(async () => {
  script = readBundle(await bundleFor(workerd, outdir, 'hono-conformance-worker'));
}, 60_000);

test('the app under test answers from inside workerd, its calls reaching the emulator over HTTP', async () => {
  const emu = fixture.emulator();
  const { app, middleware } = workerApp(script)('hono', { domain: emu.domain, fetch: emu.fetch, credentials: fixture.demoPool() });
  const served = await serve(app);
  try {
    const res = await get(`${served.url}/users`);
    expect(res.status).toBe(200);
    expect(res.headers.get(RUNTIME_HEADER)).toBe('Cloudflare-Workers');
    expect(fixture.traffic(emu)).toEqual({ mints: 1, api: 1, total: 2 });
  } finally {
    await served.close();
    await middleware.close();
    await emu.close();
  }
}, 120_000);

describeAdapterConformance({
  versions: [['Hono 4 inside workerd', 'hono']] as const,
  buildApp: (framework, options, errorOptions) => workerApp(script)(framework, options, errorOptions as never),
  holder: 'ctx',
  fixture,
  // workerd starts per app: allow it more than the default time.
  runner: { describe, test: (name, fn) => test(name, fn, 120_000), expect, afterEach },
});
