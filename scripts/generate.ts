/**
 * pnpm generate            regenerate packages/management/src/generated and packages/token/src/generated
 * pnpm generate:check      fail when the committed generated files differ from a fresh generation
 * pnpm generate:summary    print the operation/scope summary only
 * --spec PATH|URL          generate from another version of Auth0's Management API document
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { applyOverlay, buildTable } from './lib/build-table';
import { renderApi } from './lib/emit-api';
import { banner, renderOperations, renderPrivilegedScopes, renderScopes, renderScopesReexport, summary, type SpecInfo } from './lib/emit';
import { loadOverlay, loadSpec, ROOT, stripProse } from './lib/load';
import { renderSlices } from './lib/slices';
import { renderSchemaTypes } from './lib/schema-types';
import { typesDocument } from './lib/types-document';

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
  const slim = typesDocument(stripProse(applyOverlay(spec.doc, overlay)), overlay.closedBodies ?? []);
  table.warnings.push(...slim.warnings);
  const schemaTypes = await renderSchemaTypes(slim.doc);
  const files = new Map<string, string>();
  const gen = (pkg: string, file: string) => resolve(options.out ?? ROOT, 'packages', pkg, 'src', 'generated', file);
  files.set(gen('management', 'operations.ts'), renderOperations(table, info));
  files.set(gen('management', 'privileged-scopes.ts'), renderPrivilegedScopes(table, info));
  files.set(
    gen('management', 'schema.d.ts'),
    `${banner(info)}\n${schemaTypes}`,
  );
  files.set(gen('management', 'api.ts'), renderApi(slim.doc, table.operations, overlay.typeAliases ?? {}, banner(info), (m) => table.warnings.push(m)));
  files.set(gen('management', 'scopes.ts'), renderScopesReexport(info));
  files.set(gen('token', 'scopes.ts'), renderScopes(table, info));
  for (const [file, content] of renderSlices(table, info)) files.set(gen('management', file), content);
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
  // Slice and rows modules of resources the table no longer has are stale too (removed on write).
  const generated = resolve(root, 'packages', 'management', 'src', 'generated');
  const slicesDir = resolve(generated, 'resources');
  const sliceDirs = [slicesDir, resolve(generated, 'tables')];
  const strays = sliceDirs.flatMap((dir) => (existsSync(dir) ? readdirSync(dir).map((f) => resolve(dir, f)).filter((p) => !files.has(p)) : []));
  if (args.includes('--check')) {
    const stale: string[] = strays.map((p) => relative(root, p));
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
  for (const path of strays) rmSync(path);
  for (const [path, content] of files) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  console.log(report);
  const inSlices = (p: string) => sliceDirs.some((dir) => p.startsWith(dir));
  const slices = [...files.keys()].filter((p) => p.startsWith(slicesDir));
  const others = [...files.keys()].filter((p) => !inSlices(p)).map((p) => relative(root, p));
  console.log(`\nwrote ${others.join(', ')} and ${slices.length} resource slices (and their rows) in ${relative(root, generated)}/{resources,tables}/`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: Error) => {
    console.error(`generate: ${error.message}`);
    process.exitCode = 1;
  });
}
