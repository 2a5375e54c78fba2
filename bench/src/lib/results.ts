/** Each benchmark writes `results/<name>.json`; the report renders RESULTS.md from whatever is there. */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchEnv } from './env';
import { RESULTS_DIR } from './paths';

export interface BenchResult<T = unknown> {
  name: string;
  env: BenchEnv;
  config: Record<string, unknown>;
  data: T;
}

export function saveResult<T>(result: BenchResult<T>): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${result.name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function loadResults(): Map<string, BenchResult<any>> {
  const out = new Map<string, BenchResult<any>>();
  let files: string[] = [];
  try {
    files = readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json'));
  } catch {
    return out;
  }
  for (const f of files.sort()) {
    const r = JSON.parse(readFileSync(path.join(RESULTS_DIR, f), 'utf8')) as BenchResult<any>;
    out.set(r.name, r);
  }
  return out;
}

/** Integer from an environment variable (e.g. BENCH_ROUNDS), else the default. */
export function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${v}"`);
  return n;
}
