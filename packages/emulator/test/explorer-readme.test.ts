/** The README's explorer example runs here, and the README contains it verbatim; its screenshots exist. */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
afterEach(() => vi.restoreAllMocks());

describe('README explorer section', () => {
  it('contains examples/explorer.ts verbatim and runs it', async () => {
    const source = readFileSync(new URL('../examples/explorer.ts', import.meta.url), 'utf8');
    expect(readme).toContain('```ts\n' + source + '```');
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    await import('../examples/explorer');
    expect(lines[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/explorer$/);
    expect(lines[1]).toBe('200 DENY');
  });

  it('references screenshots that exist', () => {
    const images = [...readme.matchAll(/\]\((docs\/explorer-[\w-]+\.png)\)/g)].map((m) => m[1]!);
    expect(images.length).toBeGreaterThanOrEqual(5);
    for (const image of images) expect(existsSync(new URL(`../${image}`, import.meta.url)), image).toBe(true);
  });
});
