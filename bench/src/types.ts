/**
 * 8. Types: what the types cost a user's CI and editor, Scopebound against the official `auth0` package, on the
 * same typical user file (src/types-fixtures/*.ts) compiled against the built packages as installed:
 *   - `tsc --noEmit --extendedDiagnostics` in a fresh process: check time, total time, memory, types count;
 *   - hover latency: quick info through a TypeScript LanguageService (what tsserver answers an editor) in a fresh
 *     process: the first request (cold) and the request after each one-character edit.
 * Contenders alternate every round; medians (min – max). BENCH_ROUNDS (default 5), BENCH_EDITS (default 5).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { captureEnv, finishEnv } from './lib/env';
import { BENCH_DIR, SRC_DIR } from './lib/paths';
import { envInt, saveResult } from './lib/results';
import { summarize } from './lib/stats';
import { writeReport } from './report';
import type { TypesContender, TypesData } from './lib/bench-data';

const tsc = createRequire(import.meta.url).resolve('typescript/lib/tsc.js');

const CONTENDERS = [
  { id: 'scopebound', label: 'Scopebound (@scopebound/management)', fixture: 'scopebound.ts', marker: 'mgmt.users.list' },
  { id: 'auth0', label: 'auth0 (official SDK)', fixture: 'auth0.ts', marker: 'mgmt.users.list' },
] as const;

/** The numbers `--extendedDiagnostics` prints. */
export function parseDiagnostics(out: string): { checkMs: number; totalMs: number; memoryKiB: number; types: number } {
  const num = (label: string) => {
    const m = new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(out);
    if (!m) throw new Error(`tsc printed no "${label}" line:\n${out.slice(0, 2000)}`);
    return Number(m[1]);
  };
  return { checkMs: num('Check time') * 1000, totalMs: num('Total time') * 1000, memoryKiB: num('Memory used'), types: num('Types') };
}

function tsconfigFor(dir: string, fixture: string): string {
  const file = path.join(dir, `tsconfig.${path.basename(fixture, '.ts')}.json`);
  const compilerOptions = { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: true, noEmit: true, types: [] };
  writeFileSync(file, JSON.stringify({ compilerOptions, files: [fixture] }, null, 2));
  return file;
}

async function main() {
  const rounds = envInt('BENCH_ROUNDS', 5);
  const edits = envInt('BENCH_EDITS', 5);
  const env = captureEnv();
  // Inside the bench package, so the fixtures resolve the packages the way a user's project does.
  const dir = mkdtempSync(path.join(BENCH_DIR, '.types-'));
  try {
    const samples = new Map(CONTENDERS.map((c) => [c.id, { check: [] as number[], total: [] as number[], memory: [] as number[], types: 0, cold: [] as number[], edit: [] as number[], display: '', docs: '' }]));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? CONTENDERS : [...CONTENDERS].reverse();
      for (const c of order) {
        const fixture = path.join(SRC_DIR, 'types-fixtures', c.fixture);
        const config = tsconfigFor(dir, fixture);
        const s = samples.get(c.id)!;
        let out: string;
        try {
          out = execFileSync(process.execPath, [tsc, '-p', config, '--extendedDiagnostics'], { cwd: BENCH_DIR, encoding: 'utf8', timeout: 300_000 });
        } catch (error) {
          throw new Error(`tsc failed on ${c.fixture}: ${(error as { stdout?: string }).stdout ?? String(error)}`);
        }
        const d = parseDiagnostics(out);
        s.check.push(d.checkMs);
        s.total.push(d.totalMs);
        s.memory.push(d.memoryKiB);
        s.types = d.types;
        const hover = JSON.parse(
          execFileSync(process.execPath, ['--import', 'tsx', path.join(SRC_DIR, 'types-worker.ts'), config, fixture, c.marker, String(edits)], { cwd: BENCH_DIR, encoding: 'utf8', timeout: 300_000 }),
        ) as { coldMs: number; afterEditMs: number[]; display: string; docs: string };
        s.cold.push(hover.coldMs);
        s.edit.push(...hover.afterEditMs);
        s.display = hover.display;
        s.docs = hover.docs;
        console.log(`round ${round + 1}/${rounds} ${c.id}: check ${d.checkMs.toFixed(0)} ms, ${d.types} types, hover ${hover.coldMs.toFixed(0)} ms cold`);
      }
    }
    const contenders: TypesContender[] = CONTENDERS.map((c) => {
      const s = samples.get(c.id)!;
      return {
        id: c.id,
        label: c.label,
        checkMs: summarize(s.check),
        totalMs: summarize(s.total),
        memoryMiB: summarize(s.memory.map((k) => k / 1024)),
        types: s.types,
        hoverColdMs: summarize(s.cold),
        hoverAfterEditMs: summarize(s.edit),
        hoverDisplay: s.display.slice(0, 400),
        hoverDocs: s.docs.slice(0, 400),
      };
    });
    const data: TypesData = { rounds, edits, contenders };
    saveResult({ name: 'types', env: finishEnv(env), config: { rounds, edits }, data });
    writeReport();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
