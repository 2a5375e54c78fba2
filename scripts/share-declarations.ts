/**
 * One set of declarations per package, shared by both export conditions: after tsup, every ESM entry
 * declaration (`import.types`, `X.d.ts`) becomes a one-line re-export of its CommonJS twin (`X.d.cts`), and the
 * ESM declaration chunks are deleted. ESM may import CommonJS declarations, so both conditions see the same
 * types — and the package ships the generated types once instead of twice. What remains is indented with tabs
 * instead of tsup's four spaces (whitespace only; a tenth of the generated types' bytes).
 *
 *   tsx ../../scripts/share-declarations.ts        (run in a package directory, after `tsup`)
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

type Conditions = { import?: { types?: string }; require?: { types?: string } };

/** The ESM entry declarations and their CommonJS twins, from package.json `exports`. */
export function entryPairs(exportsField: Record<string, unknown>): { esm: string; cjs: string }[] {
  const pairs: { esm: string; cjs: string }[] = [];
  for (const target of Object.values(exportsField)) {
    if (typeof target !== 'object' || target === null) continue;
    const { import: esm, require: cjs } = target as Conditions;
    if (!esm?.types || !cjs?.types) continue;
    if (!esm.types.endsWith('.d.ts') || cjs.types !== esm.types.replace(/\.d\.ts$/, '.d.cts')) {
      throw new Error(`exports: ${esm.types} and ${cjs.types} are not an X.d.ts / X.d.cts pair`);
    }
    pairs.push({ esm: esm.types, cjs: cjs.types });
  }
  return pairs;
}

function declarationFiles(dir: string, suffix = '.d.ts'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? declarationFiles(join(dir, e.name), suffix) : e.name.endsWith(suffix) ? [join(dir, e.name)] : [],
  );
}

/** Each line's leading groups of four spaces as tabs (declarations have no multi-line strings to disturb). */
export function tabIndent(text: string): string {
  return text.replace(/^(?: {4})+/gm, (lead) => '\t'.repeat(lead.length / 4));
}

/** A pattern pair (`./dist/resources/*.d.ts`) as the pairs of the files tsup built for it. */
export function expandPattern(packageDir: string, pair: { esm: string; cjs: string }): { esm: string; cjs: string }[] {
  if (!pair.cjs.includes('*')) return [pair];
  const [head, tail] = pair.cjs.split('*') as [string, string];
  const dir = dirname(resolve(packageDir, head + 'x'));
  const prefix = basename(head + 'x').slice(0, -1);
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith(basename(tail)) && f.length > prefix.length + basename(tail).length)
    .map((f) => {
      const stem = f.slice(prefix.length, f.length - basename(tail).length);
      return { esm: pair.esm.replace('*', stem), cjs: pair.cjs.replace('*', stem) };
    });
}

export function shareDeclarations(packageDir: string): { stubs: number; removed: number } {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { exports?: Record<string, unknown> };
  const pairs = entryPairs(pkg.exports ?? {}).flatMap((p) => expandPattern(packageDir, p));
  const entries = new Set(pairs.map((p) => resolve(packageDir, p.esm)));
  for (const { esm, cjs } of pairs) {
    writeFileSync(resolve(packageDir, esm), `export * from './${basename(cjs).replace(/\.d\.cts$/, '.cjs')}';\n`);
  }
  let removed = 0;
  for (const file of declarationFiles(join(packageDir, 'dist'))) {
    if (entries.has(file)) continue;
    rmSync(file);
    removed++;
  }
  for (const file of declarationFiles(join(packageDir, 'dist'), '.d.cts')) writeFileSync(file, tabIndent(readFileSync(file, 'utf8')));
  return { stubs: pairs.length, removed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.cwd();
  const { stubs, removed } = shareDeclarations(dir);
  console.log(`share-declarations: ${stubs} ESM entry declarations re-export their .d.cts twins; ${removed} ESM declaration chunks removed (${relative(resolve(dir, '..', '..'), dir)})`);
}
