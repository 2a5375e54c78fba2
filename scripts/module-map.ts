/**
 * `pnpm module-map`: rewrite ARCHITECTURE.md's module map (between its two markers) from the code: every
 * hand-written module under packages/NAME/src with its line count and its first comment (its one job).
 * `--check` fails when the map is out of date.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const START = '<!-- module-map:start -->';
const END = '<!-- module-map:end -->';

/** The first sentence of a file's leading comment (its one job), shortened for a table cell. */
export function firstJob(source: string): string {
  // The first comment before any code (after a shebang or import lines).
  const head = source.replace(/^#!.*\n/, '').replace(/^(?:\s*import\b[^;]*;\s*)+/, '');
  const m = /^\s*(?:\/\*\*?([\s\S]*?)\*\/|((?:\s*\/\/.*\n?)+))/.exec(head);
  const text = (m?.[1] ?? m?.[2] ?? '').replace(/^\s*(\*|\/\/)\s?/gm, '').replace(/\s+/g, ' ').trim();
  const sentence = /^(.{20,}?\.)(\s|$)/.exec(text)?.[1] ?? text;
  return (sentence.length > 140 ? `${sentence.slice(0, 139)}…` : sentence).replace(/\|/g, '\\|');
}

export function moduleMap(): string {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'packages/*/src/*.ts', 'packages/*/src/**/*.ts'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !f.includes('/generated/') && !f.includes('/assets/') && !f.endsWith('.d.ts'))
    .sort();
  const out: string[] = [];
  let pkg = '';
  for (const file of files) {
    const name = file.split('/')[1]!;
    if (name !== pkg) {
      pkg = name;
      out.push('', `### ${pkg}`, '', '| module | lines | its one job |', '|---|---|---|');
    }
    const source = readFileSync(resolve(ROOT, file), 'utf8');
    out.push(`| \`${file.split('/src/')[1]}\` | ${source.split('\n').length - (source.endsWith('\n') ? 1 : 0)} | ${firstJob(source)} |`);
  }
  return out.join('\n').trim();
}

function main() {
  const path = resolve(ROOT, 'ARCHITECTURE.md');
  const doc = readFileSync(path, 'utf8');
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`ARCHITECTURE.md needs the markers ${START} and ${END}`);
  const next = `${doc.slice(0, a + START.length)}\n${moduleMap()}\n${doc.slice(b)}`;
  if (process.argv.includes('--check')) {
    if (next !== doc) {
      console.error('ARCHITECTURE.md module map is out of date: run `pnpm module-map` and commit it.');
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(path, next);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
