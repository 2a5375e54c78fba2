/**
 * One hover-latency sample in a fresh process: a TypeScript LanguageService over one fixture file (as an editor's
 * tsserver holds it), the first quick-info request (cold: program, lib and package types loaded and checked as
 * needed), then quick info after each of `edits` one-character edits (what a user waits for while typing).
 * Prints one JSON line. Usage: node --import tsx src/types-worker.ts <tsconfig> <fixture> <marker> <edits>
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const [tsconfig, fixture, marker, editsArg] = process.argv.slice(2) as [string, string, string, string];
const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } })!;
let text = readFileSync(fixture, 'utf8');
let version = 0;
const host: ts.LanguageServiceHost = {
  getScriptFileNames: () => [fixture],
  getScriptVersion: (f) => (f === fixture ? String(version) : '0'),
  getScriptSnapshot: (f) => {
    if (f === fixture) return ts.ScriptSnapshot.fromString(text);
    return ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f)!) : undefined;
  },
  getCurrentDirectory: () => path.dirname(tsconfig),
  getCompilationSettings: () => parsed.options,
  getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
  fileExists: ts.sys.fileExists,
  readFile: ts.sys.readFile,
  readDirectory: ts.sys.readDirectory,
  directoryExists: ts.sys.directoryExists,
  getDirectories: ts.sys.getDirectories,
};
const service = ts.createLanguageService(host, ts.createDocumentRegistry());
const position = () => text.indexOf(marker) + marker.length - 1;

function hover(): { ms: number; info: ts.QuickInfo | undefined } {
  const start = performance.now();
  const info = service.getQuickInfoAtPosition(fixture, position());
  return { ms: performance.now() - start, info };
}

const cold = hover();
const afterEdit: number[] = [];
for (let i = 0; i < Number(editsArg); i++) {
  text = text.replace(/^\/\/ /, i % 2 === 0 ? '//  ' : '// ');
  version += 1;
  afterEdit.push(hover().ms);
}
const display = ts.displayPartsToString(cold.info?.displayParts ?? []);
const docs = ts.displayPartsToString(cold.info?.documentation ?? []);
process.stdout.write(`${JSON.stringify({ coldMs: cold.ms, afterEditMs: afterEdit, display, docs })}\n`);
