import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmulator, DEMO_CLIENTS, type Emulator } from '../src/index';

const admin = DEMO_CLIENTS.find((c) => c.key === 'admin')!;
const CLI = join(import.meta.dirname, '../node_modules/auth0-deploy-cli/lib/index.js');
const dir = mkdtempSync(join(tmpdir(), 'scopebound-deploy-'));
const emulators: Emulator[] = [];
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** Run `a0deploy <command>` unmodified in a child process against an emulator over HTTPS (CA via NODE_EXTRA_CA_CERTS). */
async function a0deploy(em: Emulator, name: string, args: string[]): Promise<string> {
  const server = await em.listen({ https: true });
  writeFileSync(join(dir, `${name}-ca.pem`), server.ca!);
  const config = join(dir, `${name}-config.json`);
  writeFileSync(config, JSON.stringify({ AUTH0_DOMAIN: `127.0.0.1:${server.port}`, AUTH0_CLIENT_ID: admin.clientId, AUTH0_CLIENT_SECRET: admin.clientSecret, AUTH0_ALLOW_DELETE: false }));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...args, '--config_file', config], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, `${name}-ca.pem`) },
      timeout: 90_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    const refused = em.journal.list().filter((x) => x.status >= 400 && x.status !== 404).map((x) => `${x.status} ${x.method} ${x.path}`);
    throw new Error(`a0deploy ${args[0]} failed: ${e.stderr?.slice(-1500) ?? ''}\n${e.stdout?.slice(-1500) ?? ''}\nrefused: ${refused.join(', ')}`);
  } finally {
    await server.close();
  }
}

const exportTo = async (em: Emulator, name: string) => {
  const out = join(dir, name);
  const log = await a0deploy(em, name, ['export', '--format', 'yaml', '--output_folder', out]);
  expect(log).toContain('Export Successful');
  return readFileSync(join(out, 'tenant.yaml'), 'utf8');
};

describe('auth0-deploy-cli, unmodified, exports a tenant and imports it into a fresh one', { timeout: 240_000 }, () => {
  it('round-trips every resource type it handles by default', async () => {
    const source = createEmulator({ seed: 'demo', rateLimit: false });
    emulators.push(source);
    const exported = await exportTo(source, 'source');
    for (const section of ['clients:', 'clientGrants:', 'resourceServers:', 'roles:', 'organizations:', 'connections:', 'databases:', 'tenant:', 'guardianFactors:', 'attackProtection:', 'prompts:', 'logStreams:', 'customDomains:']) {
      expect(exported).toContain(`\n${section}`);
    }
    expect(exported).toContain('name: Demo reader (read:users)');

    // A fresh tenant with only the deploying client, then import the export and export again.
    const target = createEmulator({ rateLimit: false, clients: [{ clientId: admin.clientId, clientSecret: admin.clientSecret!, name: admin.name, grants: ['*'] }] });
    emulators.push(target);
    const log = await a0deploy(target, 'import', ['import', '--input_file', join(dir, 'source', 'tenant.yaml')]);
    expect(log).toContain('Import Successful');
    const again = await exportTo(target, 'target');
    // The deploy CLI exports a private_key_jwt client's credentials without their key material (by design:
    // it cannot read it back from any tenant), so that one client is re-created without them. Everything else is equal.
    const PKJWT = /\n {2}- name: Demo private_key_jwt client\n(?: {4}.*\n)+/;
    expect(again).toMatch(PKJWT);
    expect(again.replace(PKJWT, '\n')).toBe(exported.replace(PKJWT, '\n'));
  });
});
