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

export async function generateFiles(specArg?: string): Promise<{ files: Map<string, string>; report: string }> {
  const spec = await loadSpec(specArg);
  const overlay = loadOverlay();
  const table = buildTable(spec.doc, overlay);
  const info: SpecInfo = { sha256: spec.sha256, version: String(spec.doc.info?.version ?? 'unknown'), source: spec.source };
  const typesAst = await openapiTS(stripProse(applyOverlay(spec.doc, overlay)) as any, { alphabetize: true });
  const files = new Map<string, string>();
  const gen = (pkg: string, file: string) => resolve(ROOT, 'packages', pkg, 'src', 'generated', file);
  files.set(gen('management', 'operations.ts'), renderOperations(table, info));
  files.set(
    gen('management', 'schema.d.ts'),
    `${banner(info)}\n${astToString(typesAst)}`,
  );
  files.set(gen('management', 'scopes.ts'), renderScopesReexport(info));
  files.set(gen('token', 'scopes.ts'), renderScopes(table, info));
  return { files, report: summary(table, info) };
}

async function main() {
  const args = process.argv.slice(2);
  const specIdx = args.indexOf('--spec');
  const specArg = specIdx >= 0 ? args[specIdx + 1] : undefined;
  if (specIdx >= 0 && !specArg) throw new Error('--spec needs a path or URL');
  const { files, report } = await generateFiles(specArg);
  if (args.includes('--summary')) {
    console.log(report);
    return;
  }
  if (args.includes('--check')) {
    const stale: string[] = [];
    for (const [path, content] of files) {
      if (!existsSync(path) || readFileSync(path, 'utf8') !== content) stale.push(relative(ROOT, path));
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
  console.log(`\nwrote ${[...files.keys()].map((p) => relative(ROOT, p)).join(', ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: Error) => {
    console.error(`generate: ${error.message}`);
    process.exitCode = 1;
  });
}
