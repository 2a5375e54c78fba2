/**
 * share-declarations: each ESM entry declaration becomes a re-export of its CommonJS twin, pattern exports
 * (`./resources/*`) included, and the ESM chunks go.
 */
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shareDeclarations } from '../share-declarations';

describe('shareDeclarations', () => {
  it('stubs every entry, expands pattern exports to the files tsup built, and removes ESM chunks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'share-decl-'));
    mkdirSync(join(dir, 'dist', 'resources'), { recursive: true });
    const pair = (p: string) => ({ import: { types: `./dist/${p}.d.ts` }, require: { types: `./dist/${p}.d.cts` } });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ exports: { '.': pair('index'), './resources/*': pair('resources/*') } }));
    for (const f of ['index.d.ts', 'index.d.cts', 'chunk-A.d.ts', 'resources/users.d.cts', 'resources/users.d.ts', 'resources/roles.d.cts', 'resources/roles.d.ts']) {
      writeFileSync(join(dir, 'dist', f), 'export {};\n');
    }
    expect(shareDeclarations(dir)).toEqual({ stubs: 3, removed: 1 });
    expect(readFileSync(join(dir, 'dist', 'resources', 'users.d.ts'), 'utf8')).toBe("export * from './users.cjs';\n");
    expect(readdirSync(join(dir, 'dist', 'resources')).sort()).toEqual(['roles.d.cts', 'roles.d.ts', 'users.d.cts', 'users.d.ts']);
    expect(readdirSync(join(dir, 'dist')).filter((f) => f.startsWith('chunk'))).toEqual([]);
  });
});
