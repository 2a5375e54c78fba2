/** The framework-neutral files are kept once per adapter (no private core is bundled): they must not drift. */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const koa = `${here}../src/shared/`;
const express = `${here}../../express/src/shared/`;

test('src/shared is identical in @scopebound/koa and @scopebound/express', () => {
  const files = readdirSync(koa).sort();
  expect(files).toEqual(readdirSync(express).sort());
  expect(files.length).toBeGreaterThan(5);
  for (const f of files) expect(readFileSync(koa + f, 'utf8'), f).toBe(readFileSync(express + f, 'utf8'));
});
