import { existsSync, readFileSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENTS, DEMO_IDS } from '@scopebound/emulator';
import { runCli, type CliIO } from '../src/index';
import { startEmulator } from '../src/commands/emulator';

function capture(env: Record<string, string | undefined> = {}): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env };
}

const reader = DEMO_CLIENTS.find((c) => c.key === 'readUsers')!;
const metadata = DEMO_CLIENTS.find((c) => c.key === 'appMetadata')!;
let running: Awaited<ReturnType<typeof startEmulator>>;
const banner = capture();

beforeAll(async () => {
  running = await startEmulator({ port: '0', seed: 'demo' }, banner);
});
afterAll(async () => {
  await running?.close();
});

describe('scopebound emulator', () => {
  it('prints the domain, URLs and the demo credentials', () => {
    const text = banner.stdout.join('\n');
    expect(text).toMatch(/domain\s+emulator\.scopebound\.test/);
    expect(text).toContain(`token endpoint  ${running.url}/oauth/token`);
    expect(text).toContain(`${running.url}/explorer`);
    expect(text).toContain(reader.clientId);
    expect(text).toContain(reader.clientSecret!);
  });

  it('serves a working tenant on the printed URL', async () => {
    const res = await fetch(`${running.url}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
    const explorer = await fetch(`${running.url}/explorer`);
    expect(explorer.status).toBe(200);
    expect(explorer.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('--https writes the CA to a file, prints the NODE_EXTRA_CA_CERTS hint, and serves TLS with it', async () => {
    const io = capture();
    const caFile = join(tmpdir(), `scopebound-cli-ca-${process.pid}.pem`);
    const tls = await startEmulator({ port: '0', seed: 'none', https: true, 'ca-file': caFile }, io);
    try {
      expect(tls.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(io.stdout.join('\n')).toContain(`NODE_EXTRA_CA_CERTS=${caFile}`);
      const ca = readFileSync(caFile, 'utf8');
      const status = await new Promise<number>((resolve, reject) =>
        httpsGet(`${tls.url}/__health`, { ca }, (res) => resolve(res.statusCode ?? 0)).on('error', reject),
      );
      expect(status).toBe(200);
    } finally {
      await tls.close();
    }
    expect(existsSync(caFile)).toBe(false);
  });

  it('--state keeps the tenant in a file across runs', async () => {
    const file = join(tmpdir(), `scopebound-cli-state-${process.pid}.json`);
    rmSync(file, { force: true });
    const first = await startEmulator({ port: '0', seed: 'none', state: file }, capture());
    const token = await first.tenant.admin.mintToken({ sub: 'cli@clients', scope: 'create:roles read:roles' });
    await fetch(`${first.url}/api/v2/roles`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'kept-by-cli' }) });
    await first.close();
    const io = capture();
    const second = await startEmulator({ port: '0', seed: 'none', state: file }, io);
    try {
      expect(io.stdout.join('\n')).toContain(`state file      ${file}`);
      const t2 = await second.tenant.admin.mintToken({ sub: 'cli@clients', scope: 'read:roles' });
      const roles = (await (await fetch(`${second.url}/api/v2/roles`, { headers: { authorization: `Bearer ${t2}` } })).json()) as { name: string }[];
      expect(roles.map((r) => r.name)).toContain('kept-by-cli');
    } finally {
      await second.close();
      rmSync(file, { force: true });
    }
  });

  it('refuses bad flags with exit code 2 and a message naming the flag', async () => {
    const io = capture();
    expect(await runCli(['emulator', '--port', 'eighty'], io)).toBe(2);
    expect(io.stderr.join()).toMatch(/--port must be a number/);
    const io2 = capture();
    expect(await runCli(['emulator', '--rate-limit', 'fast'], io2)).toBe(2);
    expect(io2.stderr.join()).toMatch(/--rate-limit must be free, enterprise, default or off/);
    const io3 = capture();
    expect(await runCli(['emulator', '--ca-file', '/tmp/x.pem'], io3)).toBe(2);
    expect(io3.stderr.join()).toMatch(/--ca-file only applies with --https/);
  });
});

describe('scopebound token', () => {
  it('mints a token for the scopes and prints only the token on stdout', async () => {
    const io = capture({ AUTH0_BASE_URL: running.url, AUTH0_CLIENT_ID: reader.clientId, AUTH0_CLIENT_SECRET: reader.clientSecret });
    expect(await runCli(['token', '--scopes', 'read:users', '--decode'], io)).toBe(0);
    expect(io.stdout).toHaveLength(1);
    expect(io.stdout[0]).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(io.stderr.join('\n')).toMatch(/granted: read:users/);
    expect(io.stderr.join('\n')).toMatch(/"gty": "client-credentials"/);
  });

  it('never takes the secret from a flag, and says what is missing', async () => {
    const io = capture({ AUTH0_BASE_URL: running.url, AUTH0_CLIENT_ID: reader.clientId });
    expect(await runCli(['token', '--scopes', 'read:users'], io)).toBe(2);
    expect(io.stderr.join()).toMatch(/AUTH0_CLIENT_SECRET/);
    const io2 = capture({});
    expect(await runCli(['token', '--scopes', 'read:users', '--client-secret', 'x'], io2)).toBe(2);
    expect(io2.stderr.join()).toMatch(/Unknown option '--client-secret'/);
  });
});

describe('scopebound call', () => {
  it('calls an operation with a least-privileged token and prints the JSON result', async () => {
    const io = capture({ AUTH0_BASE_URL: running.url, AUTH0_CLIENT_ID: reader.clientId, AUTH0_CLIENT_SECRET: reader.clientSecret });
    expect(await runCli(['call', 'users.get', '--params', JSON.stringify({ id: DEMO_IDS.firstUser })], io)).toBe(0);
    expect(io.stderr.join()).toMatch(/scopes: read:users/);
    expect(JSON.parse(io.stdout.join('\n')).user_id).toBe(DEMO_IDS.firstUser);
  });

  it('an app_metadata-only update works with a client granted only update:users_app_metadata', async () => {
    const io = capture({ AUTH0_BASE_URL: running.url, AUTH0_CLIENT_ID: metadata.clientId, AUTH0_CLIENT_SECRET: metadata.clientSecret });
    const code = await runCli(
      ['call', 'PATCH /api/v2/users/{id}', '--params', JSON.stringify({ id: DEMO_IDS.firstUser }), '--body', '{"app_metadata":{"plan":"pro"}}'],
      io,
    );
    expect(io.stderr.join()).toMatch(/scopes: update:users_app_metadata/);
    expect(code).toBe(0);
    expect(JSON.parse(io.stdout.join('\n')).app_metadata.plan).toBe('pro');
  });

  it('reports a refused call with exit code 1 and no token in the output', async () => {
    const io = capture({ AUTH0_BASE_URL: running.url, AUTH0_CLIENT_ID: reader.clientId, AUTH0_CLIENT_SECRET: reader.clientSecret });
    const code = await runCli(['call', 'users.delete', '--params', JSON.stringify({ id: DEMO_IDS.firstUser })], io);
    expect(code).toBe(1);
    const all = [...io.stdout, ...io.stderr].join('\n');
    expect(all).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    expect(all).not.toContain(reader.clientSecret!);
  });
});
