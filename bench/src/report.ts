/** Renders RESULTS.md from results/*.json (run directly to regenerate it: `pnpm bench:report`). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_DIR } from './lib/paths';
import { loadResults, type BenchResult } from './lib/results';

export function writeReport(): string {
  const results = loadResults();
  const lines: string[] = ['# Benchmark results', ''];
  for (const r of results.values()) lines.push(`- ${r.name}: ${r.env.date}`);
  const file = path.join(BENCH_DIR, 'RESULTS.md');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export type { BenchResult };

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`wrote ${writeReport()}`);
}
