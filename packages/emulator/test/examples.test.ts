/** Every README example runs here, and the README must contain each one verbatim. */
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = (name: string) => readFileSync(new URL(`../examples/${name}`, import.meta.url), 'utf8');
const capture = () => {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ')));
  return lines;
};
afterEach(() => vi.restoreAllMocks());

describe('README examples', () => {
  it.each(['in-process.ts', 'http.ts', 'msw.ts', 'seed-limit-fault.ts', 'https-state.ts'])('the README contains examples/%s verbatim', (name) => {
    expect(readme).toContain('```ts\n' + example(name) + '```');
  });

  it('in-process.ts', async () => {
    const lines = capture();
    await import('../examples/in-process');
    expect(lines).toEqual(['read:users 200 5', '403 Insufficient scope, expected any of: delete:users,delete:current_user']);
  });

  it('http.ts', async () => {
    const lines = capture();
    await import('../examples/http');
    expect(lines[0]).toBe('201 true ada@example.com');
    expect(Number(lines[1])).toBeGreaterThan(990);
  });

  it('msw.ts', async () => {
    const lines = capture();
    await import('../examples/msw');
    expect(lines).toEqual(['200 []']);
  });

  it('seed-limit-fault.ts', async () => {
    const lines = capture();
    await import('../examples/seed-limit-fault');
    expect(lines).toEqual(['503', '200', '429 1', '200', '[ 503, 200, 429, 200 ]']);
  });

  it('https-state.ts', async () => {
    const lines = capture();
    await import('../examples/https-state');
    expect(lines).toEqual(['true true', '200', 'true']);
  });
});
