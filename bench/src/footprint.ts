/**
 * 6b. Install footprint: a fresh `npm install` into an empty temp directory of
 *   - the packed tarballs of @scopebound/management + @scopebound/token (`pnpm pack`, built dist), and
 *   - `auth0` at the version this package depends on (from the npm registry).
 * Reported: node_modules size (sum of file sizes, and disk usage), file count, package count, tarball size; and the
 * packed and unpacked size of every published Scopebound package's tarball next to the `auth0` tarball's.
 * Temp directories are removed afterwards.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, lstatSync, rmSync, existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { captureEnv, finishEnv } from './lib/env';
import { BENCH_DIR } from './lib/paths';
import { saveResult } from './lib/results';
import { writeReport } from './report';
import type { Footprint, FootprintData, TarballSize } from './lib/bench-data';
import { pnpmPack } from '../../scripts/packed';
import { publishedPackages } from '../../scripts/manifests';

function walk(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) stack.push(p);
      else if (entry.isFile()) {
        bytes += lstatSync(p).size;
        files += 1;
      }
    }
  }
  return { bytes, files };
}

function packagesIn(nodeModules: string): string[] {
  const names: string[] = [];
  const visit = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const p = path.join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        for (const sub of readdirSync(p, { withFileTypes: true })) {
          if (sub.isDirectory()) {
            const pp = path.join(p, sub.name);
            if (existsSync(path.join(pp, 'package.json'))) names.push(`${entry.name}/${sub.name}`);
            visit(path.join(pp, 'node_modules'));
          }
        }
      } else if (existsSync(path.join(p, 'package.json'))) {
        names.push(entry.name);
        visit(path.join(p, 'node_modules'));
      }
    }
  };
  visit(nodeModules);
  return names.sort();
}

function run(cmd: string, args: string[], cwd: string, timeout = 240_000): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A tarball's packed size, and the sum of its entries' sizes (the unpacked bytes) from `tar -tvzf`. */
export function tarballSize(name: string, tgz: string): TarballSize {
  const listing = execFileSync('tar', ['-tvzf', tgz], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('-'));
  const unpackedBytes = listing.reduce((n, line) => n + Number(line.trim().split(/\s+/)[2]), 0);
  return { name, packedBytes: statSync(tgz).size, unpackedBytes, files: listing.length };
}

function install(id: string, label: string, specs: string[], tarballBytes?: number): Footprint {
  const dir = mkdtempSync(path.join(os.tmpdir(), `scopebound-footprint-${id}-`));
  try {
    run('npm', ['init', '-y'], dir);
    const start = Date.now();
    run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--loglevel=error', ...specs], dir);
    const installMs = Date.now() - start;
    const nm = path.join(dir, 'node_modules');
    const { bytes, files } = walk(nm);
    const diskKiB = Number(run('du', ['-sk', nm], dir).split(/\s+/)[0]);
    const names = packagesIn(nm);
    const packageBytes: Record<string, number> = {};
    for (const name of names) {
      const p = path.join(nm, name);
      if (existsSync(p)) packageBytes[name] = walk(p).bytes;
    }
    return {
      id,
      label,
      install: specs.map((s) => path.basename(s)),
      bytes,
      diskKiB,
      files,
      packages: names.length,
      packageNames: names,
      packageBytes,
      ...(tarballBytes !== undefined ? { tarballBytes } : {}),
      installMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const env = captureEnv();
  const packDir = mkdtempSync(path.join(os.tmpdir(), 'scopebound-pack-'));
  const contenders: Footprint[] = [];
  const tarballSizes: TarballSize[] = [];
  try {
    const packed = new Map(publishedPackages().map((pkg) => [pkg, pnpmPack(path.join(BENCH_DIR, '..', 'packages', pkg), packDir)]));
    for (const [pkg, tgz] of packed) tarballSizes.push(tarballSize(`@scopebound/${pkg}`, tgz));
    const tarballs = [packed.get('token')!, packed.get('management')!];
    const tarballBytes = tarballs.reduce((n, t) => n + statSync(t).size, 0);
    contenders.push(install('scopebound', '@scopebound/management + @scopebound/token (packed tarballs)', tarballs, tarballBytes));
    const auth0Version = (JSON.parse(readFileSync(path.join(BENCH_DIR, 'node_modules', 'auth0', 'package.json'), 'utf8')) as { version: string }).version;
    contenders.push(install('auth0', `auth0@${auth0Version} (npm registry)`, [`auth0@${auth0Version}`]));
    const auth0Tgz = run('npm', ['pack', `auth0@${auth0Version}`, '--pack-destination', packDir, '--loglevel=error'], packDir).trim().split('\n').pop()!;
    tarballSizes.push(tarballSize(`auth0@${auth0Version}`, path.join(packDir, auth0Tgz)));
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
  const data: FootprintData = { npm: run('npm', ['--version'], BENCH_DIR).trim(), contenders, tarballs: tarballSizes };
  saveResult({ name: 'footprint', env: finishEnv(env), config: {}, data });
  for (const c of contenders) console.log(`${c.id.padEnd(11)} ${(c.bytes / 2 ** 20).toFixed(2)} MiB, ${c.files} files, ${c.packages} packages`);
  writeReport();
}

await main();
