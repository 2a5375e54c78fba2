import { describe, expect, it } from 'vitest';
import { expectedManifest, typesVersionsFor, withoutSourceCondition } from '../manifests';
import { tarballProblems } from '../packed';

const entry = (base: string) => ({
  '@scopebound/source': `./src/${base}.ts`,
  import: { types: `./dist/${base}.d.ts`, default: `./dist/${base}.js` },
  require: { types: `./dist/${base}.d.cts`, default: `./dist/${base}.cjs` },
});
const exportsMap = { '.': entry('index'), './adapter': entry('adapter/index'), './package.json': './package.json' };

describe('published manifests', () => {
  it('drops the source condition at every depth and keeps the rest in order', () => {
    const imports = { '#t': { '@scopebound/source': { node: './src/n.ts' }, node: { import: './dist/n.js' }, default: './dist/w.js' } };
    expect(withoutSourceCondition(imports)).toEqual({ '#t': { node: { import: './dist/n.js' }, default: './dist/w.js' } });
    expect(JSON.stringify(withoutSourceCondition(exportsMap))).not.toContain('@scopebound/source');
  });

  it('maps every subpath with types to its CJS declarations for node10, and nothing without subpaths', () => {
    expect(typesVersionsFor(exportsMap)).toEqual({ '*': { adapter: ['./dist/adapter/index.d.cts'] } });
    expect(typesVersionsFor({ '.': entry('index') })).toBeUndefined();
  });

  it('writes metadata, files without src and a publishConfig, whatever was there before', () => {
    const m = expectedManifest('emulator', { name: '@scopebound/emulator', description: 'x', engines: { node: '>=20' }, files: ['dist', 'src'], types: './dist/index.d.cts', exports: exportsMap });
    expect(m).toMatchObject({
      license: 'MIT',
      repository: { url: 'git+https://github.com/scopebound/scopebound.git', directory: 'packages/emulator' },
      files: ['dist', 'docs', 'README.md', 'LICENSE'],
      typesVersions: { '*': { adapter: ['./dist/adapter/index.d.cts'] } },
    });
    expect(JSON.stringify((m['publishConfig'] as Record<string, unknown>)['exports'])).not.toContain('@scopebound/source');
    expect(m['exports']).toEqual(exportsMap); // the workspace keeps resolving sources
    expect(expectedManifest('emulator', m)).toEqual(m); // idempotent
  });
});

describe('tarball problems', () => {
  const clean = JSON.stringify({ exports: withoutSourceCondition(exportsMap) });
  it('passes a clean tarball whose README links resolve', () => {
    expect(tarballProblems(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'docs/a.png'], clean, '![a](docs/a.png) [b](https://x.test) [c](../token)')).toEqual([]);
  });
  it('names each problem', () => {
    const problems = tarballProblems(['README.md', 'src/index.ts'], JSON.stringify({ exports: exportsMap }), '![a](docs/a.png)');
    expect(problems).toEqual([
      'the packed exports/imports still name the @scopebound/source condition',
      'src/ is shipped',
      'LICENSE is not shipped',
      'README links to docs/a.png, which is not shipped',
    ]);
  });
});
