/** The main command: the banner, the tour, tour-only, the real-tenant mode (secret never printed), the process itself. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { createEmulator, DEMO_CLIENTS } from '@scopebound/emulator';
import { ConfigError, run } from '../src/run';

const root = fileURLToPath(new URL('..', import.meta.url));

async function tour(env: Record<string, string>, tenantFetch?: typeof fetch) {
  const lines: string[] = [];
  const running = await run({ argv: ['--tour-only'], env: { PORT: '0', ...env }, write: (l) => lines.push(l), ...(tenantFetch ? { tenantFetch } : {}) });
  await running.close();
  return { running, out: lines.join('\n'), lines };
}

test('embedded emulator: URLs, demo credentials, the tour, the plan change alone, cache hits', async () => {
  const { running, out } = await tour({});
  expect(running.mode).toBe('emulator');
  expect(running.tourOnly).toBe(true);
  expect(out).toMatch(/App: +http:\/\/127\.0\.0\.1:\d+\//);
  expect(out).toContain('sb-demo-read-users');
  expect(out).toContain('sb-demo-read-users-secret');
  expect(out).toMatch(/POST \/users\/\S+\/plan +200 +plan change: app_metadata only\n +↳ minted \[update:users_app_metadata\] as sb-demo-app-metadata/);
  expect(out).toMatch(/plan change again\n +↳ cache hit \[update:users_app_metadata\]/);
  expect(out).toMatch(/GET +\/ +200 +home page.*\n +↳ no token used/);
  expect(out).toMatch(/\/demo\/refused +403/);
  expect(out).toMatch(/\[update:users_app_metadata\] +sb-demo-app-metadata +cache hits: 1/);
  expect(out).toMatch(/\[read:users\] +sb-demo-read-users +cache hits: [1-9]/);
  expect(out).toContain('Tour done (--tour-only): stopping.');
  expect(out).not.toMatch(/eyJ[\w-]+\./);
});

test('TOUR_ONLY=1 is the same as --tour-only; without either the app keeps serving', async () => {
  const lines: string[] = [];
  const serving = await run({ argv: [], env: { PORT: '0' }, write: (l) => lines.push(l) });
  expect(serving.tourOnly).toBe(false);
  expect(lines.at(-1)).toMatch(/^Serving http:\/\/127\.0\.0\.1:\d+\/ — press Ctrl-C to stop\.$/);
  const res = await fetch(`${serving.url}/roles`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  expect(res.status).toBe(200);
  await serving.close();
  const viaEnv = await run({ argv: [], env: { PORT: '0', TOUR_ONLY: '1' }, write: () => undefined });
  expect(viaEnv.tourOnly).toBe(true);
  await viaEnv.close();
});

test('real-tenant mode (AUTH0_*): read-only tour, the secret is never printed', async () => {
  const emu = createEmulator({ domain: 'acme.eu.auth0.com', seed: 'demo' });
  const admin = DEMO_CLIENTS.find((c) => c.key === 'admin');
  const { running, out } = await tour(
    { AUTH0_DOMAIN: emu.domain, AUTH0_CLIENT_ID: admin?.clientId as string, AUTH0_CLIENT_SECRET: admin?.clientSecret as string },
    emu.fetch as typeof fetch,
  );
  await emu.close();
  expect(running.mode).toBe('tenant');
  expect(out).toContain('Tenant:      acme.eu.auth0.com (real Auth0 tenant, from AUTH0_DOMAIN)');
  expect(out).toContain(`client id ${admin?.clientId}; secret from AUTH0_CLIENT_SECRET (not shown)`);
  expect(out).not.toContain(admin?.clientSecret as string);
  expect(out).not.toContain('/plan');
  expect(out).toMatch(/GET +\/users\?per_page=5 +200/);
  expect(out).not.toMatch(/eyJ[\w-]+\./);
});

test('configuration errors name what to set', async () => {
  await expect(run({ env: { AUTH0_DOMAIN: 'acme.eu.auth0.com' }, write: () => undefined })).rejects.toThrow(ConfigError);
  await expect(run({ env: { AUTH0_DOMAIN: 'acme.eu.auth0.com' }, write: () => undefined })).rejects.toThrow(/AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET/);
  await expect(run({ env: { PORT: 'eighty' }, write: () => undefined })).rejects.toThrow(/PORT/);
});

test('the start script runs the tour and exits with --tour-only', async () => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> };
  expect(pkg.scripts.start).toBe('tsx --conditions=@scopebound/source src/main.ts');
  const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
  const child = spawn(tsx, ['--conditions=@scopebound/source', 'src/main.ts', '--tour-only'], {
    cwd: root,
    env: { ...process.env, PORT: '0', AUTH0_DOMAIN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | string | null>((resolve) => {
    child.on('exit', resolve);
    child.on('error', (e) => resolve(e.message));
  });
  clearTimeout(timer);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toContain('minted [update:users_app_metadata] as sb-demo-app-metadata');
  expect(stdout).toContain('Tour done (--tour-only): stopping.');
}, 90_000);

test('README: the documented output is what the tour prints (port normalised, any order within the run)', async () => {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const block = /<!-- tour-output:start -->\n```text\n([\s\S]*?)\n```\n<!-- tour-output:end -->/.exec(readme)?.[1];
  expect(block).toBeDefined();
  const { lines } = await tour({});
  const actual = lines
    .map((l) => l.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:3000'))
    .map((l) => l.replace('Tour done (--tour-only): stopping.', 'Serving http://127.0.0.1:3000/ — press Ctrl-C to stop.'))
    .filter((l) => !l.startsWith('  (port '));
  const documented = (block as string).split('\n');
  expect([...documented].sort()).toEqual(actual.filter((l, i) => i > 0 || l !== '').sort());
  expect(readme).toContain('pnpm start');
});
