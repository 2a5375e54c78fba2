/** The README's exportUsers example runs here against the emulator, and the README contains it verbatim. */
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterEach, expect, it, vi } from 'vitest';

afterEach(() => vi.restoreAllMocks());

it('the README contains examples/export-users.ts verbatim, and it prints what its comment says', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('../examples/export-users.ts', import.meta.url), 'utf8');
  expect(readme).toContain('```ts\n' + example + '```');
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ')));
  await import('../examples/export-users');
  expect(lines).toEqual(["true 2 [ 'ada@example.com', 'alan@example.com' ]"]);
});
