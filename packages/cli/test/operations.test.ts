import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCli, type CliIO } from '../src/index';

function capture(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env: {} };
}

describe('scopebound scopes', () => {
  it('shows that an app_metadata-only update needs only update:users_app_metadata', async () => {
    const io = capture();
    const code = await runCli(['scopes', 'users.update', '--body', '{"app_metadata":{"plan":"pro"}}'], io);
    expect(code).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/narrowest server token: update:users_app_metadata \(lets a token call 1 operation\)\n/);
    expect(io.stdout.join('\n')).toMatch(/also accepted, broader: update:users \(lets a token call \d+ operations\)/);
  });

  it('orders users.roles.assign narrowest first: create:role_members before update:users', async () => {
    const io = capture();
    await runCli(['scopes', 'users.roles.assign'], io);
    const out = io.stdout.join('\n');
    expect(out).toMatch(/rule: any of: create:role_members \| update:users\n/);
    expect(out).toMatch(/narrowest server token: create:role_members \(lets a token call 2 operations\)/);
    expect(out).toMatch(/also accepted, broader: update:users/);
  });

  it('needs update:users for other fields, and names the user-token scope for user_metadata', async () => {
    const io = capture();
    await runCli(['scopes', 'PATCH /api/v2/users/{id}', '--body', '{"user_metadata":{"a":1}}'], io);
    expect(io.stdout.join('\n')).toMatch(/narrowest server token: update:users \(/);
    expect(io.stdout.join('\n')).toMatch(/asUser\): update:current_user_metadata/);
  });

  it('shows all-of rules', async () => {
    const io = capture();
    await runCli(['scopes', 'users.roles.list'], io);
    expect(io.stdout.join('\n')).toMatch(/narrowest server token: read:users read:roles read:role_members/);
  });

  it('explains unknown operations and bad JSON with exit code 2', async () => {
    const io = capture();
    expect(await runCli(['scopes', 'users.updat'], io)).toBe(2);
    expect(io.stderr.join()).toMatch(/No operation "users.updat".*close matches: users\.update/);
    const io2 = capture();
    expect(await runCli(['scopes', 'users.update', '--body', '{nope'], io2)).toBe(2);
    expect(io2.stderr.join()).toMatch(/--body must be JSON/);
    const io3 = capture();
    expect(await runCli(['frobnicate'], io3)).toBe(2);
    expect(io3.stderr.join()).toMatch(/unknown command "frobnicate"/);
  });
});

describe('scopebound operations', () => {
  it('lists and searches operations with their scopes', async () => {
    const io = capture();
    expect(await runCli(['operations', '--search', 'blacklist'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/blacklists\.add\s+POST \/api\/v2\/blacklists\/tokens\s+any of: blacklist:tokens/);
    expect(io.stdout.at(-1)).toBe('2 of 457 operations');
  });

  it('searches the operations\' titles (case-insensitive)', async () => {
    const io = capture();
    expect(await runCli(['operations', '--search', 'List or search users'], io)).toBe(0);
    expect(io.stdout[0]).toMatch(/^users\.list\s+GET \/api\/v2\/users\s+any of: read:users/);
    expect(io.stdout.at(-1)).toBe('1 of 457 operations');
  });

  it('the binary ends its output with a newline, also when nothing matches', async () => {
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--conditions=@scopebound/source', cli, 'operations', '--search', 'no such operation']);
    expect(stdout).toBe('0 of 457 operations\n');
  });
});

describe('README', () => {
  it('shows the real output of `scopebound scopes users.update`', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const io = capture();
    await runCli(['scopes', 'users.update', '--body', '{"app_metadata":{"plan":"pro"}}'], io);
    expect(readme).toContain(`$ scopebound scopes users.update --body '{"app_metadata":{"plan":"pro"}}'\n${io.stdout.join('\n')}\n`);
  });
});
