/** What the numbers were measured on. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { BENCH_DIR } from './paths';

export interface BenchEnv {
  date: string;
  node: string;
  v8: string;
  platform: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  /** 1-minute load average when the benchmark started and ended (other work on the machine shows here). */
  loadAvgStart: number;
  loadAvgEnd?: number;
  commit: string;
  /** Package paths with uncommitted changes when the benchmark ran (their built dist includes them). */
  dirty: string[];
}

function gitDirty(): string[] {
  try {
    const out = execFileSync('git', ['status', '--porcelain', '--', '../packages'], { cwd: BENCH_DIR, encoding: 'utf8', timeout: 5_000 });
    const dirs = new Set<string>();
    for (const line of out.split('\n')) {
      const m = /packages\/([^/]+)\//.exec(line);
      if (m) dirs.add(`packages/${m[1]}`);
    }
    return [...dirs].sort();
  } catch {
    return [];
  }
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: BENCH_DIR, encoding: 'utf8', timeout: 5_000 }).trim();
  } catch {
    return 'unknown';
  }
}

export function captureEnv(): BenchEnv {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAvgStart: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    commit: gitCommit(),
    dirty: gitDirty(),
  };
}

export function finishEnv(env: BenchEnv): BenchEnv {
  return { ...env, loadAvgEnd: Math.round((os.loadavg()[0] ?? 0) * 100) / 100 };
}
