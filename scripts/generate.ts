/**
 * pnpm generate            regenerate packages/management/src/generated and packages/token/src/generated
 * pnpm generate:check      fail when the committed generated files differ from a fresh generation
 * pnpm generate:summary    print the operation/scope summary only
 * --spec PATH|URL          generate from another version of Auth0's Management API document
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { applyOverlay, buildTable } from './lib/build-table';
import { banner, renderOperations, renderScopes, renderScopesReexport, summary, type SpecInfo } from './lib/emit';
import { loadOverlay, loadSpec, ROOT, stripProse } from './lib/load';

export interface GenerateOptions {
  /** Path or URL of another version of the document (default: the pinned one). */
  spec?: string;
  /** Overlay file (default openapi/overlay.yaml). */
  overlay?: string;
  /** Root the output paths are laid under (default: the repository). */
  out?: string;
}

export async function generateFiles(options: GenerateOptions = {}): Promise<{ files: Map<string, string>; report: string; warnings: string[] }> {
  const spec = await loadSpec(options.spec);
  const overlay = loadOverlay(options.overlay);
  const table = buildTable(spec.doc, overlay);
  const info: SpecInfo = { sha256: spec.sha256, version: String(spec.doc.info?.version ?? 'unknown'), source: spec.source };
  const typesAst = await openapiTS(stripProse(applyOverlay(spec.doc, overlay)) as any, { alphabetize: true, defaultNonNullable: false });
  const files = new Map<string, string>();
  const gen = (pkg: string, file: string) => resolve(options.out ?? ROOT, 'packages', pkg, 'src', 'generated', file);
  files.set(gen('management', 'operations.ts'), renderOperations(table, info));
  files.set(
    gen('management', 'schema.d.ts'),
    `${banner(info)}\n${astToString(typesAst)}`,
  );
  files.set(gen('management', 'scopes.ts'), renderScopesReexport(info));
  files.set(gen('token', 'scopes.ts'), renderScopes(table, info));
  return { files, report: summary(table, info), warnings: table.warnings };
}

async function main() {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (!v || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const known = new Set(['--spec', '--overlay', '--out', '--check', '--summary']);
  const unknown = args.filter((a, i) => a.startsWith('--') && !known.has(a) && !['--spec', '--overlay', '--out'].includes(args[i - 1] ?? ''));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(', ')} (use --spec PATH|URL, --overlay FILE, --out DIR, --check, --summary)`);
  const root = value('--out') ? resolve(process.cwd(), value('--out')!) : ROOT;
  const { files, report } = await generateFiles({ spec: value('--spec'), overlay: value('--overlay'), out: root });
  if (args.includes('--summary')) {
    console.log(report);
    return;
  }
  if (args.includes('--check')) {
    const stale: string[] = [];
    for (const [path, content] of files) {
      if (!existsSync(path) || readFileSync(path, 'utf8') !== content) stale.push(relative(root, path));
    }
    if (stale.length > 0) {
      console.error(`Generated files are not current: ${stale.join(', ')}.\nRun \`pnpm generate\` and commit the result (never edit them by hand).`);
      process.exitCode = 1;
      return;
    }
    console.log(`generate:check: ${files.size} generated files are current.`);
    return;
  }
  for (const [path, content] of files) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  console.log(report);
  console.log(`\nwrote ${[...files.keys()].map((p) => relative(root, p)).join(', ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: Error) => {
    console.error(`generate: ${error.message}`);
    process.exitCode = 1;
  });
}
