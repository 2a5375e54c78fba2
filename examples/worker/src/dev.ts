/**
 * `pnpm --filter @scopebound/example-worker dev`: the emulator on 127.0.0.1 (narrowing scopes, demo users), the
 * Worker bundled by esbuild for Workers and served by workerd through Miniflare with the emulator's demo
 * credentials as bindings; prints a curl command, changes one plan to show the token, then keeps serving.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { createEmulator, DEMO_CLIENTS, DEMO_IDS } from '@scopebound/emulator';

const DOMAIN = 'worker-demo.scopebound.test';

export interface Running {
  readonly url: string;
  close(): Promise<void>;
}

/** Bundle the Worker the way wrangler would (Workers export conditions, ESM, nothing external). */
export async function bundleWorker(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: ['@scopebound/source', 'workerd', 'worker', 'browser', 'import'],
    logLevel: 'error',
  });
  return result.outputFiles[0]?.text ?? '';
}

export async function start(port = 0): Promise<Running> {
  const emu = createEmulator({ domain: DOMAIN, seed: 'demo', narrowScopes: true });
  const server = await emu.listen();
  const writer = DEMO_CLIENTS.find((c) => c.key === 'appMetadata') as { clientId: string; clientSecret: string };
  const mf = new Miniflare({
    modules: true,
    script: await bundleWorker(),
    compatibilityDate: '2025-09-01',
    host: '127.0.0.1',
    port,
    bindings: {
      AUTH0_BASE_URL: server.url,
      AUTH0_AUDIENCE: `https://${DOMAIN}/api/v2/`,
      AUTH0_CLIENT_ID: writer.clientId,
      AUTH0_CLIENT_SECRET: writer.clientSecret,
    },
  });
  const url = (await mf.ready).origin;
  return {
    url,
    async close() {
      await mf.dispose();
      await server.close();
      await emu.close();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const running = await start(Number(process.env.PORT ?? 8787));
  const path = `/users/${encodeURIComponent(DEMO_IDS.firstUser)}/plan`;
  console.log(`Worker (workerd via Miniflare) on ${running.url}, Auth0 emulator behind it.\n`);
  console.log(`  curl -X PATCH ${running.url}${path} -H 'content-type: application/json' -d '{"plan":"pro"}'\n`);
  const res = await fetch(`${running.url}${path}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"plan":"pro"}' });
  console.log(`PATCH ${path} → ${res.status}`, await res.text());
  console.log('\nServing; Ctrl-C to stop.');
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
