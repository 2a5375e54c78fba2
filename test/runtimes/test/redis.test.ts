/** The Redis store on Node, Bun and Deno: the bundled redis smoke runs as a child process against Redis and the emulator. */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { createEmulator, DEMO_CLIENTS } from '@scopebound/emulator';
import type { SmokeResult } from '../src/smoke';
import { bundleFor, RUNTIMES, TIME_LIMIT_MS } from './runtimes';

const outdir = fileURLToPath(new URL('../.bundles', import.meta.url));
mkdirSync(outdir, { recursive: true });
const DOMAIN = 'redis-smoke.scopebound.test';

for (const runtime of RUNTIMES.filter((r) => ['node', 'bun', 'deno'].includes(r.name))) {
  test(`${runtime.name}: two providers over one redisStore mint once; the second reads Redis`, async () => {
    const emu = createEmulator({ domain: DOMAIN, seed: 'demo' });
    const server = await emu.listen();
    try {
      const config = {
        origin: server.url,
        audience: `https://${DOMAIN}/api/v2/`,
        secrets: { admin: DEMO_CLIENTS.find((c) => c.key === 'admin')?.clientSecret },
        redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        prefix: `scopebound-smoke:${runtime.name}:${crypto.randomUUID()}:`,
      };
      const stdout = await runtime.run(await bundleFor(runtime, outdir, 'redis-smoke'), btoa(JSON.stringify(config)));
      const line = stdout.split('\n').find((l) => l.startsWith('SMOKE '));
      const [result] = JSON.parse(line?.slice(6) ?? '[]') as SmokeResult[];
      expect(result).toEqual({ name: 'redis: shared token', ok: true, detail: ['mint', 'hit:store'] });
      expect(emu.journal.mints()).toEqual({ 'sb-demo-admin': 1 });
    } finally {
      await server.close();
      await emu.close();
    }
  }, TIME_LIMIT_MS + 20_000);
}
