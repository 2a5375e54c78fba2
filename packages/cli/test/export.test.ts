// `scopebound export users` end to end against the emulator over real HTTP: JSON lines and CSV checked
// against the seeded users, plain progress lines off a TTY and a redrawn bar on a real pseudo-terminal
// (script(1)), a failed job (exit 1 with the tenant's summary), resuming a job with --job after the first
// run was killed, and bad input refused before anything is sent.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliIO } from '../src/index';
import { exportTenant, GITHUB_CONNECTION } from '../../bulk/test/export-tenant';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const CWD = fileURLToPath(new URL('..', import.meta.url));

function capture(env: Record<string, string | undefined>): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  // CI set: progress is plain lines whatever the test runner's stderr is.
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env: { ...env, CI: 'true' } };
}

const shellQuote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** Run the real binary as a child; with `tty`, under script(1) so its stderr is a pseudo-terminal. */
function runChild(args: string[], env: Record<string, string>, options: { tty?: boolean; killWhen?: RegExp } = {}): Promise<{ code: number | null; output: string }> {
  const node = [process.execPath, '--conditions=@scopebound/source', '--import', 'tsx', CLI, ...args];
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env, COLUMNS: '100', TERM: 'xterm' };
  delete childEnv.CI;
  const child = options.tty
    ? spawn('script', ['-qfec', node.map(shellQuote).join(' '), '/dev/null'], { cwd: CWD, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(node[0]!, node.slice(1), { cwd: CWD, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (d: Buffer) => {
    output += d.toString();
    if (options.killWhen?.test(output)) child.kill('SIGKILL');
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

let env: Awaited<ReturnType<typeof exportTenant>> | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const creates = () => env!.tenant.journal.list({ operation: 'jobs.usersExports.create' }).length;

describe('scopebound export users', () => {
  it('prints JSON lines of every seeded user to stdout, with plain progress lines on stderr', async () => {
    env = await exportTenant(4);
    await env.tenant.admin.setJobTiming({ processingMs: 2_500 });
    const io = capture(env.env);
    expect(await runCli(['export', 'users', '--fields', 'user_id,email,app_metadata.plan=plan', '--poll-interval', '30'], io)).toBe(0);
    expect(io.stdout.map((l) => JSON.parse(l))).toEqual([
      ...env.seeded.map((u) => ({ user_id: u.user_id, email: u.email, plan: u.app_metadata.plan })),
      { user_id: 'github|gh1', email: 'gh@example.com' },
    ]);
    const err = io.stderr.join('\n');
    expect(err).toMatch(/^export (job_\w+): started \(if this stops, resume with: scopebound export users --job \1\)/);
    expect(err).toMatch(/export job_\w+: pending/);
    expect(err).toMatch(/export job_\w+: processing \d+%, about \d+s left/);
    expect(err).toMatch(/export job_\w+: done, 5 rows/);
    expect(err).not.toMatch(/\r|\[#/);
  });

  it('writes CSV to --out, scoped to a connection', async () => {
    env = await exportTenant(2);
    const out = join(mkdtempSync(join(tmpdir(), 'scopebound-cli-export-')), 'users.csv');
    const io = capture(env.env);
    expect(await runCli(['export', 'users', '--format', 'csv', '--fields', 'user_id,name', '--out', out, '--poll-interval', '30'], io)).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('user_id,name\nauth0|exp0000,"Zoë ""Zed"", Jr."\nauth0|exp0001,User 1\ngithub|gh1,Hub\n');
    expect(io.stderr.at(-1)).toMatch(new RegExp(`^export job_\\w+: 3 users written to ${out} \\(csv\\)$`));
    expect(io.stdout).toEqual([]);
    const gh = capture(env.env);
    expect(await runCli(['export', 'users', '--format', 'csv', '--fields', 'user_id', '--connection', GITHUB_CONNECTION, '--poll-interval', '30'], gh)).toBe(0);
    expect(gh.stdout).toEqual(['user_id', 'github|gh1']);
  });

  it('draws a progress bar on a terminal', async () => {
    env = await exportTenant(2);
    await env.tenant.admin.setJobTiming({ processingMs: 2_500 });
    const out = join(mkdtempSync(join(tmpdir(), 'scopebound-cli-export-')), 'users.jsonl');
    const run = await runChild(['export', 'users', '--out', out, '--poll-interval', '30'], env.env, { tty: true });
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/\r\[\.+\] job_\w+ pending/);
    expect(run.output).toMatch(/\r\[#*\.*\] job_\w+ processing \d+%/);
    expect(run.output).toMatch(/\r\[#{10,}\] job_\w+ done, 3 rows/);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(3);
  }, 90_000);

  it('exits 1 with the failed job summary and what to do, writing nothing', async () => {
    env = await exportTenant(1);
    await env.tenant.admin.failJobs({ message: 'Export storage unavailable.' });
    const io = capture(env.env);
    expect(await runCli(['export', 'users', '--poll-interval', '30'], io)).toBe(1);
    expect(io.stderr.at(-1)).toMatch(/^scopebound export: Export job job_\w+ failed on the tenant: Export storage unavailable\. Nothing was written\. Start a new export \(without --job\).* \(ERR_EXPORT_JOB_FAILED\)$/);
    expect(io.stdout).toEqual([]);
  });

  it('resumes the job of a killed run with --job instead of creating another', async () => {
    env = await exportTenant(3);
    await env.tenant.admin.setJobTiming({ pendingMs: 40, processingMs: 3_000 });
    const out = join(mkdtempSync(join(tmpdir(), 'scopebound-cli-export-')), 'users.jsonl');
    const first = await runChild(['export', 'users', '--out', out, '--poll-interval', '50'], env.env, { killWhen: /processing/ });
    expect(first.code).toBeNull();
    const jobId = /resume with: scopebound export users --job (job_\w+)/.exec(first.output)![1]!;
    const io = capture(env.env);
    expect(await runCli(['export', 'users', '--job', jobId, '--out', out, '--poll-interval', '50'], io)).toBe(0);
    expect(io.stderr[0]).toBe(`export ${jobId}: resumed (if this stops, resume with: scopebound export users --job ${jobId} --out ${out})`);
    expect(readFileSync(out, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { user_id: string }).user_id)).toEqual(['auth0|exp0000', 'auth0|exp0001', 'auth0|exp0002', 'github|gh1']);
    expect(creates()).toBe(1);
  }, 90_000);

  it('refuses bad input before anything is sent', async () => {
    env = await exportTenant(1);
    const cases: [string[], RegExp][] = [
      [['export', 'users', '--fields', 'user_id,emial'], /--fields: unknown field "emial" \(did you mean email/],
      [['export', 'users', '--format', 'xml'], /--format must be jsonl or csv/],
      [['export', 'users', '--out', '/nonexistent-dir/users.jsonl'], /--out: cannot write to \/nonexistent-dir/],
      [['export', 'users', '--connection', 'github'], /--connection: "github" is not a connection id/],
      [['export', 'roles'], /scopebound export users/],
    ];
    for (const [argv, message] of cases) {
      const io = capture(env.env);
      expect(await runCli(argv, io)).toBe(2);
      expect(io.stderr.join('\n')).toMatch(message);
    }
    expect(env.tenant.journal.list()).toHaveLength(0);
  });
});
