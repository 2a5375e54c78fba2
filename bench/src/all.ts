/**
 * Runs every benchmark, each in a fresh process, then renders RESULTS.md. A failing benchmark does not stop
 * the others; the exit code says whether all of them ran.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BENCH_DIR, SRC_DIR } from './lib/paths';
import { writeReport } from './report';

export const BENCHMARKS = ['import', 'overhead', 'token-cache', 'stampede', 'rate-limit', 'emulator', 'footprint', 'bulk', 'tenants', 'fleet-rate-limit', 'instrumentation'] as const;

const only = process.argv.slice(2);
const selected = only.length ? BENCHMARKS.filter((b) => only.includes(b)) : [...BENCHMARKS];
const failed: string[] = [];
for (const name of selected) {
  console.log(`\n== ${name}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(SRC_DIR, `${name}.ts`)], {
    cwd: BENCH_DIR,
    stdio: 'inherit',
    timeout: 20 * 60_000,
  });
  if (r.status !== 0) {
    console.error(`${name} failed (exit ${r.status ?? r.signal})`);
    failed.push(name);
  }
}
console.log(`\nwrote ${writeReport()}`);
if (failed.length) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
