/**
 * 1. Import and start-up: a fresh `node` process (no loader) imports the client package from its built `dist`
 * and constructs a client; the probe reports import and construction time (performance.now() inside the
 * process) and RSS. The parent also times the whole process (spawn → exit). Contenders alternate, the order
 * rotating each round; one warm-up round (disk cache) is discarded.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { captureEnv, finishEnv } from './lib/env';
import { BENCH_DIR, SRC_DIR } from './lib/paths';
import { envInt, saveResult } from './lib/results';
import { rotate, summarize } from './lib/stats';
import { writeReport } from './report';
import type { ImportData } from './lib/bench-data';

interface Probe {
  id: string;
  label: string;
  file: string;
}

const PROBES: Probe[] = [
  { id: 'empty', label: 'node, nothing imported (floor)', file: 'empty.mjs' },
  { id: 'scopebound', label: '@scopebound/management + token (ESM)', file: 'scopebound.mjs' },
  { id: 'auth0', label: 'auth0 ManagementClient (ESM)', file: 'auth0.mjs' },
  { id: 'auth0-subpath', label: 'auth0/management + auth0/users sub-client (ESM)', file: 'auth0-subpath.mjs' },
  { id: 'scopebound-cjs', label: '@scopebound/management + token (CJS require)', file: 'scopebound.cjs' },
  { id: 'auth0-cjs', label: 'auth0 ManagementClient (CJS require)', file: 'auth0.cjs' },
];

interface Sample {
  importMs: number;
  constructMs: number;
  totalMs: number;
  processMs: number;
  rssMiB: number;
}

function runProbe(file: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [path.join(SRC_DIR, 'probes', file)], { cwd: BENCH_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      const processMs = performance.now() - start;
      if (code !== 0) {
        reject(new Error(`${file} exited ${code}: ${err.slice(0, 500)}`));
        return;
      }
      const r = JSON.parse(out) as { importMs: number; constructMs: number; rssMiB: number };
      resolve({ importMs: r.importMs, constructMs: r.constructMs, totalMs: r.importMs + r.constructMs, processMs, rssMiB: r.rssMiB });
    });
  });
}

async function main() {
  const rounds = envInt('BENCH_IMPORT_ROUNDS', 11);
  const env = captureEnv();
  const samples = new Map<string, Sample[]>(PROBES.map((p) => [p.id, []]));
  for (const p of PROBES) await runProbe(p.file); // warm-up (disk cache), discarded
  for (let r = 0; r < rounds; r++) {
    for (const p of rotate(PROBES, r)) samples.get(p.id)!.push(await runProbe(p.file));
    process.stdout.write(`import: round ${r + 1}/${rounds}\r`);
  }
  process.stdout.write('\n');
  const s = (id: string) => samples.get(id)!;
  const perRound = (a: string, b: string) => s(a).map((x, i) => x.totalMs / s(b)[i]!.totalMs);
  const data: ImportData = {
    rounds,
    probes: PROBES.map((p) => ({
      id: p.id,
      label: p.label,
      total: summarize(s(p.id).map((x) => x.totalMs)),
      import: summarize(s(p.id).map((x) => x.importMs)),
      construct: summarize(s(p.id).map((x) => x.constructMs)),
      process: summarize(s(p.id).map((x) => x.processMs)),
      rssMiB: summarize(s(p.id).map((x) => x.rssMiB)),
    })),
    ratio: summarize(perRound('scopebound', 'auth0')),
    ratioCjs: summarize(perRound('scopebound-cjs', 'auth0-cjs')),
    ratioSubpath: summarize(perRound('scopebound', 'auth0-subpath')),
  };
  saveResult({ name: 'import', env: finishEnv(env), config: { rounds, probes: PROBES.map((p) => p.file) }, data });
  for (const p of data.probes) console.log(`${p.id.padEnd(16)} import+construct median ${p.total.median.toFixed(1)} ms (${p.total.min.toFixed(1)}–${p.total.max.toFixed(1)}), process ${p.process.median.toFixed(0)} ms, rss ${p.rssMiB.median.toFixed(1)} MiB`);
  console.log(`scopebound/auth0 (ESM): ${(data.ratio.median * 100).toFixed(1)} % (target ≤ 25 %)`);
  writeReport();
}

await main();
