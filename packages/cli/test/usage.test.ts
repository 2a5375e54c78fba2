import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENTS } from '@scopebound/emulator';
import { runCli, type CliIO } from '../src/index';
import { startEmulator } from '../src/commands/emulator';
import pkg from '../package.json' with { type: 'json' };

function capture(env: Record<string, string | undefined> = {}): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env };
}

describe('the command line itself', () => {
  it('prints per-command help with exit 0, for every command', async () => {
    for (const cmd of ['operations', 'scopes', 'emulator', 'token', 'call', 'bulk', 'explorer', 'grants']) {
      const io = capture();
      expect(await runCli([cmd, '--help'], io), cmd).toBe(0);
      expect(io.stdout.join('\n')).toMatch(new RegExp(`^scopebound ${cmd}`));
      expect(io.stdout.join('\n')).toMatch(/flags: .*--help/);
    }
  });

  it('--version prints the package version', async () => {
    const io = capture();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.stdout).toEqual([pkg.version]);
  });

  it('a bare call or an unknown command prints the usage with exit 2', async () => {
    const bare = capture();
    expect(await runCli([], bare)).toBe(2);
    expect(bare.stderr.join('\n')).toMatch(/Commands:/);
    const unknown = capture();
    expect(await runCli(['frobnicate'], unknown)).toBe(2);
    expect(unknown.stderr.join('\n')).toMatch(/unknown command "frobnicate"[\s\S]*Commands:/);
  });

  it('an unknown flag is exit 2 with a pointer to the command help, not raw parser text', async () => {
    const io = capture();
    expect(await runCli(['scopes', 'users.get', '--bdy', '{}'], io)).toBe(2);
    const text = io.stderr.join('\n');
    expect(text).toMatch(/scopebound scopes: Unknown option '--bdy'/);
    expect(text).toMatch(/Run `scopebound scopes --help` for its flags/);
    expect(text).not.toMatch(/To specify a positional argument/);
  });

  it('hints that --body narrows a body-aware answer', async () => {
    const io = capture();
    await runCli(['scopes', 'users.update'], io);
    expect(io.stdout.join('\n')).toMatch(/hint: the scopes of users.update depend on the body; pass --body '\{"app_metadata":\{\}\}'/);
  });

  it('`scopebound operations | head -1` ends quietly: no EPIPE stack trace', async () => {
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@scopebound/source', cli, 'operations'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy(); // the reader goes away, as `head` does
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect(code).toBe(0);
  });
});

describe('call --all', () => {
  let running: Awaited<ReturnType<typeof startEmulator>>;
  const reader = DEMO_CLIENTS.find((c) => c.key === 'readUsers')!;
  beforeAll(async () => {
    running = await startEmulator({ port: '0', seed: 'demo' }, capture());
  });
  afterAll(() => running?.close());

  it('prints every item of every page, one JSON value per line', async () => {
    const io = capture({ AUTH0_BASE_URL: running.url, AUTH0_CLIENT_ID: reader.clientId, AUTH0_CLIENT_SECRET: reader.clientSecret });
    expect(await runCli(['call', 'users.list', '--all', '--params', '{"per_page":50}'], io)).toBe(0);
    expect(io.stdout.length).toBe(300);
    expect(JSON.parse(io.stdout[299]!)).toHaveProperty('user_id');
    const bad = capture({ AUTH0_BASE_URL: running.url, AUTH0_CLIENT_ID: reader.clientId, AUTH0_CLIENT_SECRET: reader.clientSecret });
    expect(await runCli(['call', 'users.get', '--all', '--params', '{"id":"x"}'], bad)).toBe(2);
    expect(bad.stderr.join('\n')).toMatch(/users.get is not paginated; drop --all/);
  });
});
