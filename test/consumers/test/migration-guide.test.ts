/**
 * docs/migrating-from-auth0.md: every ```ts migration-test block runs against the emulator on loopback (workspace
 * sources), and each `// prints: X` comment in a block is a line it must log, in order.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { join, resolve } from 'node:path';
import { createEmulator, DEMO_CLIENTS } from '@scopebound/emulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const guide = readFileSync(join(ROOT, 'docs/migrating-from-auth0.md'), 'utf8');
const blocks = [...guide.matchAll(/```ts migration-test\n([\s\S]*?)```/g)].map((m) => m[1]!);
const expected = (code: string) => [...code.matchAll(/\/\/ prints: (.*)$/gm)].map((m) => m[1]!.trim());
const dir = join(import.meta.dirname, '../.snippets');
const tenant = createEmulator({ seed: 'demo' });
const admin = DEMO_CLIENTS.find((c) => c.key === 'admin')!;

beforeAll(async () => {
  const { url } = await tenant.listen();
  // The demo admin application (every server scope): the examples use many resources.
  Object.assign(process.env, { AUTH0_BASE_URL: url, AUTH0_CLIENT_ID: admin.clientId, AUTH0_CLIENT_SECRET: admin.clientSecret });
  mkdirSync(dir, { recursive: true });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await tenant.close();
});

describe('docs/migrating-from-auth0.md', () => {
  it('has tested examples, each stating what it prints', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const block of blocks) expect(expected(block).length).toBeGreaterThan(0);
  });

  it.each(blocks.map((code, i) => [i + 1, code] as const))('example %i prints what its comments say', async (i, code) => {
    const file = join(dir, `example-${i}.ts`);
    writeFileSync(file, `${code}\nexport {};\n`);
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ')));
    try {
      await import(file);
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual(expected(code));
  });
});
