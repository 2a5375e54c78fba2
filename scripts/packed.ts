/**
 * `pnpm publint` / `pnpm attw` in a package: check the tarball `pnpm pack` makes (publishConfig applied), not
 * the workspace manifest. Also fails when the packed manifest still names the `@scopebound/source` condition,
 * when `src/` is shipped, or when LICENSE or a file the README links to is missing from the tarball.
 * Usage (from a package directory): `tsx ../../scripts/packed.ts publint|attw`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SOURCE_CONDITION } from './manifests';

/** Pack the package in `dir` with pnpm into `into`; returns the tarball's path. */
export function pnpmPack(dir: string, into: string): string {
  const out = execFileSync('pnpm', ['pack', '--pack-destination', into], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const tgz = out.trim().split('\n').reverse().find((line) => line.trim().endsWith('.tgz'));
  if (!tgz) throw new Error(`pnpm pack printed no tarball in ${dir}:\n${out}`);
  return tgz.trim().startsWith('/') ? tgz.trim() : join(into, tgz.trim().split('/').pop()!);
}

/** What is wrong with a packed tarball's file list and manifest (empty when nothing is). */
export function tarballProblems(files: string[], manifestText: string, readme: string): string[] {
  const problems: string[] = [];
  const manifest = JSON.parse(manifestText) as { exports?: unknown; imports?: unknown };
  if (JSON.stringify([manifest.exports, manifest.imports]).includes(SOURCE_CONDITION)) problems.push(`the packed exports/imports still name the ${SOURCE_CONDITION} condition`);
  if (files.some((f) => f.startsWith('src/'))) problems.push('src/ is shipped');
  if (!files.includes('LICENSE')) problems.push('LICENSE is not shipped');
  for (const [, link] of readme.matchAll(/\]\((?!https?:|#|mailto:)([^)\s#]+)\)/g)) {
    const target = link!.replace(/^\.\//, '');
    if (!target.startsWith('../') && !files.some((f) => f === target || f.startsWith(`${target}/`))) problems.push(`README links to ${target}, which is not shipped`);
  }
  return problems;
}

function main(tool: string | undefined): number {
  if (tool !== 'publint' && tool !== 'attw') {
    console.error('usage: tsx scripts/packed.ts publint|attw (run from a package directory)');
    return 2;
  }
  const dir = process.cwd();
  const tmp = mkdtempSync(join(tmpdir(), 'scopebound-packed-'));
  try {
    const tgz = pnpmPack(dir, tmp);
    execFileSync('tar', ['-xzf', tgz, '-C', tmp]);
    const files = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    const problems = tarballProblems(files, readFileSync(join(tmp, 'package', 'package.json'), 'utf8'), readFileSync(join(tmp, 'package', 'README.md'), 'utf8'));
    if (problems.length) {
      console.error(`${tgz}: ${problems.join('; ')}. Run \`pnpm manifests\` at the root, or fix the README link.`);
      return 1;
    }
    // attw's default profile (strict) checks node10, node16 (CJS and ESM) and bundler resolution.
    const args = tool === 'publint' ? ['--strict', tgz] : [tgz];
    execFileSync(tool, args, { stdio: 'inherit' });
    return 0;
  } catch (error) {
    if ((error as { status?: number }).status) return (error as { status: number }).status;
    throw error;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && process.argv[1].endsWith('packed.ts')) process.exitCode = main(process.argv[2]);
