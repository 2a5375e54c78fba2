/** @scopebound/token runs on any runtime: its sources import no Node built-in and use no Node global. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));
const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.startsWith('testing'));

// `#diagnostics-channel` under the `node` condition is the one Node module (Node's diagnostics_channel).
const NODE_ONLY = join('diagnostics', 'node.ts');

test.each(files.filter((f) => f !== NODE_ONLY))('%s uses Web APIs only', (file) => {
  const text = readFileSync(join(src, file), 'utf8');
  expect(text).not.toMatch(/from ['"]node:/);
  expect(text).not.toMatch(/from ['"](node:)?(crypto|buffer|fs|path|os|util|events|stream|http|https|net|zlib)['"]/);
  expect(text).not.toMatch(/\bBuffer\.\w|\bprocess\.\w|\brequire\(/);
});

test('only the node condition of #diagnostics-channel imports node:diagnostics_channel', () => {
  expect(readFileSync(join(src, NODE_ONLY), 'utf8')).toMatch(/from 'node:diagnostics_channel'/);
  expect(files).toContain(NODE_ONLY);
});
