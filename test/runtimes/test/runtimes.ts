/** How each runtime is reached: the bundle it runs (export conditions) and how the driver starts it, bounded in time. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { builtinModules } from 'node:module';
import { build, type Plugin } from 'esbuild';
import { Miniflare } from 'miniflare';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;
export const TIME_LIMIT_MS = 60_000;

export interface Runtime {
  readonly name: string;
  readonly entry: 'cli-entry' | 'worker-entry' | 'edge-entry';
  readonly conditions: readonly string[];
  run(bundle: string, config: string): Promise<string>;
}

function child(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: TIME_LIMIT_MS, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

export const RUNTIMES: readonly Runtime[] = [
  { name: 'node', entry: 'cli-entry', conditions: ['node'], run: (b, c) => child(process.execPath, [b, c]) },
  { name: 'bun', entry: 'cli-entry', conditions: ['bun'], run: (b, c) => child(bin('bun'), ['run', b, c]) },
  { name: 'deno', entry: 'cli-entry', conditions: ['deno'], run: (b, c) => child(bin('deno'), ['run', '--quiet', '--no-prompt', '--allow-net=127.0.0.1', b, c]) },
  {
    name: 'workerd',
    entry: 'worker-entry',
    conditions: ['workerd', 'worker', 'browser'],
    async run(bundle, config) {
      // Miniflare runs workerd (npm's @cloudflare/workerd-* binary) as its child process.
      const mf = new Miniflare({ modules: true, script: readFileSync(bundle, 'utf8'), compatibilityDate: '2025-09-01' }); // no nodejs_compat: Web APIs only
      try {
        const res = await mf.dispatchFetch('http://worker.local/', { method: 'POST', body: atob(config), signal: AbortSignal.timeout(TIME_LIMIT_MS) });
        return `SMOKE ${await res.text()}`;
      } finally {
        await mf.dispose();
      }
    },
  },
  { name: 'edge-runtime', entry: 'edge-entry', conditions: ['edge-light', 'worker', 'browser'], run: (b, c) => child(process.execPath, [`${root}src/edge-host.mjs`, b, c]) },
];

/** Node built-ins (node-redis needs `net`, `tls`, …) stay imports, as `node:` specifiers Bun and Deno both resolve. */
const nodeBuiltins: Plugin = {
  name: 'node-builtins',
  setup(b) {
    const names = new Set(builtinModules);
    b.onResolve({ filter: /^[a-z_/]+$|^node:/ }, (args) => {
      const bare = args.path.replace(/^node:/, '');
      return names.has(bare) ? { path: `node:${bare}`, external: true } : undefined;
    });
  },
};

/** Bundle an entry (default: the runtime's smoke entry) for a runtime's export conditions (workspace packages from their sources). */
export async function bundleFor(runtime: Runtime, outdir: string, entry: string = runtime.entry): Promise<string> {
  const outfile = `${outdir}/${runtime.name}-${entry}.mjs`;
  const needsNode = runtime.name === 'node' || entry === 'redis-smoke';
  await build({
    entryPoints: [`${root}src/${entry}.ts`],
    outfile,
    bundle: true,
    format: runtime.entry === 'edge-entry' ? 'iife' : 'esm',
    platform: runtime.name === 'node' ? 'node' : 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['@scopebound/source', ...runtime.conditions, 'import'],
    target: 'es2022',
    logLevel: 'error',
    // undici (Node only) and node-redis are CommonJS: give the ESM bundle a require.
    ...(needsNode ? { banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } } : {}),
    ...(entry === 'redis-smoke' && runtime.name !== 'node' ? { plugins: [nodeBuiltins] } : {}),
  });
  return outfile;
}
