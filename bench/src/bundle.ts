/**
 * Bundle budget: the same Worker handler (users.get) on Scopebound (the whole client, and the per-resource
 * entry `@scopebound/management/resources/users`) and on the official `auth0` SDK, bundled
 * by esbuild for Workers (minified, `workerd`/`worker`/`browser` conditions; Node built-ins external, as
 * wrangler's nodejs_compat leaves them: the SDK imports `fs`/`stream` behind runtime checks). Byte sizes are
 * deterministic, so test/runtimes asserts the ratio; `pnpm --filter @scopebound/bench bench:bundle` prints it.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { SRC_DIR } from './lib/paths';
import { captureEnv, finishEnv } from './lib/env';
import { saveResult } from './lib/results';
import { writeReport } from './report';
import type { BundleData } from './report-bundle';

export interface BundleSize {
  readonly id: string;
  readonly label: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Whether undici (Node only) ended up in the bundle. */
  readonly undici: boolean;
  /** The resources whose table rows are in the bundle (from the rows' operation names). */
  readonly resources: readonly string[];
  /** Output bytes of the generated operation table (whole or slice) in Scopebound's bundles. */
  readonly tableBytes: number;
}

export const HANDLERS = [
  { id: 'scopebound', label: '@scopebound/management + token', file: 'scopebound-worker.ts' },
  { id: 'scopebound-users', label: '@scopebound/management/resources/users + token', file: 'scopebound-users-worker.ts' },
  { id: 'auth0', label: 'auth0 ManagementClient', file: 'auth0-worker.ts' },
  { id: 'auth0-users', label: 'auth0/management + auth0/users', file: 'auth0-users-worker.ts' },
] as const;

/** Scopebound's sources (`@scopebound/source`) or its built dist: the same modules either way. */
export async function bundleSize(handler: (typeof HANDLERS)[number], fromSource = true): Promise<BundleSize> {
  const result = await build({
    entryPoints: [path.join(SRC_DIR, 'bundle', handler.file)],
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: [...(fromSource ? ['@scopebound/source'] : []), 'workerd', 'worker', 'browser', 'import'],
    external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`)],
    metafile: true,
    logLevel: 'silent',
  });
  const out = result.outputFiles[0]?.contents ?? new Uint8Array();
  const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
  const undici = Object.keys(inputs).some((f) => f.includes('/undici/'));
  const tableBytes = Object.entries(inputs)
    .filter(([f]) => /management\/(src|dist)\/(generated\/(resources\/[^/]+|tables\/[^/]+|operations)|operations|resources\/[^/]+)\.[jt]s$/.test(f))
    .reduce((n, [, i]) => n + i.bytesInOutput, 0);
  // A row is a tuple: ["get_users_by_id","GET","/users/{id}","users.get",…].
  const rowName = /\["[^"]+","(?:GET|POST|PUT|PATCH|DELETE)","[^"]*","([a-z][A-Za-z]*)\.[A-Za-z.]+"/g;
  const resources = [...new Set([...new TextDecoder().decode(out).matchAll(rowName)].map((m) => m[1] as string))].sort();
  return { id: handler.id, label: handler.label, bytes: out.length, gzipBytes: gzipSync(out).length, undici, resources, tableBytes };
}

export async function measureBundles(fromSource = true): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const h of HANDLERS) sizes.push(await bundleSize(h, fromSource));
  return sizes;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const env = captureEnv();
  const sizes = await measureBundles(process.argv.includes('--dist') ? false : true);
  const ours = sizes.find((s) => s.id === 'scopebound') as BundleSize;
  const slice = sizes.find((s) => s.id === 'scopebound-users') as BundleSize;
  saveResult({ name: 'bundle', env: finishEnv(env), config: { fromSource: !process.argv.includes('--dist') }, data: { sizes } satisfies BundleData });
  writeReport();
  for (const s of sizes) {
    const ratios = `full/this ${(ours.bytes / s.bytes).toFixed(3)}  users-only/this ${(slice.bytes / s.bytes).toFixed(3)}`;
    console.log(`${s.label.padEnd(48)} ${(s.bytes / 1024).toFixed(1).padStart(8)} KB  gzip ${(s.gzipBytes / 1024).toFixed(1).padStart(6)} KB  ${ratios}${s.undici ? '  (undici inside)' : ''}`);
  }
}
