/**
 * The declarations of @scopebound/token name no global that only the DOM library or a newer `@types/node`
 * declares (`CryptoKey` is global in neither `lib: ["es2022"]` nor `@types/node` 20): they are emitted here from the
 * sources, in memory, then type-checked as a Node 20 project without the DOM library checks them
 * (`skipLibCheck: false`; only diagnostics in Scopebound's own declarations count).
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, test } from 'vitest';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const srcDir = fileURLToPath(new URL('../src/', import.meta.url));

function emitDeclarations(): Map<string, string> {
  const out = new Map<string, string>();
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    declaration: true, emitDeclarationOnly: true, strict: true, skipLibCheck: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'], customConditions: ['@scopebound/source'],
  };
  const host = ts.createCompilerHost(options);
  host.writeFile = (name, text) => out.set(name, text);
  ts.createProgram([entry], options, host).emit();
  return out;
}

test('the declarations type-check in a Node 20 project without the DOM library (no global CryptoKey there)', () => {
  const declarations = emitDeclarations();
  expect(declarations.size).toBeGreaterThan(5);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true, noEmit: true, lib: ['lib.es2022.d.ts'], types: ['node'], skipLibCheck: false,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, readFile, fileExists } = host;
  host.getSourceFile = (name, version, ...rest) => {
    const text = declarations.get(name);
    return text === undefined ? getSourceFile.call(host, name, version, ...rest) : ts.createSourceFile(name, text, version);
  };
  host.readFile = (name) => declarations.get(name) ?? readFile.call(host, name);
  // Resolution must land on the emitted declarations, never on the sources beside them.
  const source = (name: string) => name.startsWith(srcDir) && !name.endsWith('.d.ts');
  host.fileExists = (name) => declarations.has(name) || (!source(name) && fileExists.call(host, name));
  const root = [...declarations.keys()].find((k) => k.endsWith('/src/index.d.ts')) as string;
  const program = ts.createProgram([root], options, host);
  const problems = ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && declarations.has(d.file.fileName))
    .map((d) => `${d.file?.fileName.split('/src/')[1] ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  expect(program.getSourceFiles().filter((f) => declarations.has(f.fileName)).length).toBeGreaterThan(5);
  expect(problems).toEqual([]);
}, 60_000);
