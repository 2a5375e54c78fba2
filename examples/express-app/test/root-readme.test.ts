/**
 * The root README's quickstart runs as written, against the emulator over real HTTP: only the tenant line is
 * swapped for the emulator's URL. The application is granted read:users and update:users_app_metadata only,
 * so the app_metadata update succeeds only if the client asked for exactly update:users_app_metadata.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEmulator, type Emulator } from '@scopebound/emulator';

const root = resolve(import.meta.dirname, '..', '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const tmp = join(import.meta.dirname, '.tmp-readme');
let tenant: Emulator;
let url: string;
let stop: () => Promise<void>;

function quickstart(): string {
  const section = readme.slice(readme.indexOf('## Quickstart'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md has no ```ts block under ## Quickstart');
  return block;
}

beforeAll(async () => {
  tenant = createEmulator({
    clients: [{ clientId: 'quickstart-app', clientSecret: 'quickstart-app-secret', grants: ['read:users', 'update:users_app_metadata'] }],
    seed: { users: [{ user_id: 'auth0|123', email: 'ada@example.com', connection: 'Username-Password-Authentication', password: 'Passw0rd!Passw0rd' }] },
  });
  const server = await tenant.listen();
  url = server.url;
  stop = async () => {
    await server.close();
    await tenant.close();
  };
  mkdirSync(tmp, { recursive: true });
});

afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await stop?.();
});

describe('the root README quickstart', () => {
  it('runs against a tenant with narrow grants: reads, updates app_metadata only, paginates', async () => {
    const code = quickstart();
    const tenantLine = "domain: 'example.eu.auth0.com',";
    expect(code).toContain(tenantLine);
    const file = join(tmp, 'quickstart.ts');
    writeFileSync(file, code.replace(tenantLine, 'baseUrl: process.env.AUTH0_BASE_URL!,'));
    vi.stubEnv('AUTH0_BASE_URL', url);
    vi.stubEnv('AUTH0_CLIENT_ID', 'quickstart-app');
    vi.stubEnv('AUTH0_CLIENT_SECRET', 'quickstart-app-secret');
    const logged: unknown[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(args.join(' ')));
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      spy.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(logged).toContain('ada@example.com');
    const res = await fetch(`${url}/__admin/mints`);
    const mints = ((await res.json()) as { mints: Record<string, number> }).mints;
    expect(mints['quickstart-app']).toBe(1); // one token served all three calls (its grant covers them)
    const stored = tenant.journal.list({ operation: 'users.update' });
    expect(stored.at(-1)?.status).toBe(200);
  });
});
