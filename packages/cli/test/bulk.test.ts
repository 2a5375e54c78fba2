import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliIO } from '../src/index';
import { readJournal } from '@scopebound/bulk';
import { bulkTenant, metadataLines, tempDir, userId, writeInput } from '../../bulk/test/tenant';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const CWD = fileURLToPath(new URL('..', import.meta.url));

function capture(env: Record<string, string | undefined>): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env };
}

const okLines = (journal: string) => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter((l) => l.startsWith('{"t":"ok"')).length : 0);

/** Run the real binary in a child process; SIGKILL it once the journal holds `killAfterOk` completed calls. */
function runChild(args: string[], env: Record<string, string>, journal: string, killAfterOk?: number): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  const child = spawn(process.execPath, ['--conditions=@scopebound/source', '--import', 'tsx', CLI, ...args], { cwd: CWD, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.resume();
  const poll = killAfterOk === undefined ? undefined : setInterval(() => okLines(journal) >= killAfterOk && child.kill('SIGKILL'), 10);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      if (poll) clearInterval(poll);
      resolve({ code, signal, stdout });
    }),
  );
}

let env: Awaited<ReturnType<typeof bulkTenant>> | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('scopebound bulk', () => {
  it('reports malformed lines by number and sends nothing', async () => {
    env = await bulkTenant(3);
    const input = writeInput(tempDir(), `${metadataLines(2)}{"operation":"users.update","params":{}}\nnot json\n\n{"operation":"nope"}\n`);
    const io = capture(env.env);
    expect(await runCli(['bulk', '--input', input], io)).toBe(2);
    const text = io.stderr.join('\n');
    expect(text).toMatch(/3 malformed input line\(s\)/);
    expect(text).toMatch(/line 3: users.update needs the path parameter "id"/);
    expect(text).toMatch(/line 4: not JSON/);
    expect(text).toMatch(/line 6: unknown operation "nope"/);
    expect(env.tenant.journal.list()).toHaveLength(0);
  });

  it('dry run: scopes, expected duration and the users-import job offered, without sending', async () => {
    env = await bulkTenant(1);
    const input = writeInput(tempDir(), metadataLines(1200));
    const io = capture(env.env);
    expect(await runCli(['bulk', '--input', input, '--dry-run', '--rate', '200', '--burst', '20'], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/1200 calls, 0 refused/);
    expect(text).toContain('  update:users_app_metadata  (1200 calls)');
    expect(text).toMatch(/expected duration at 200\/s, burst 20: 6s/);
    expect(text).toMatch(/users-import job may fit better[\s\S]*does not switch to it/);
    expect(env.tenant.journal.list()).toHaveLength(0);
  });

  it('exits 1 with a failure report naming the line and code; the rest is applied', async () => {
    env = await bulkTenant(20);
    const dir = tempDir();
    const missing = JSON.stringify({ operation: 'users.update', params: { id: 'auth0|nobody' }, body: { app_metadata: { plan: 'pro' } } });
    const input = writeInput(dir, metadataLines(20, [missing]));
    const io = capture(env.env);
    expect(await runCli(['bulk', '--input', input], io)).toBe(1);
    expect(io.stdout.join('\n')).toMatch(/^20\/21 done \(0 from earlier runs\), 1 failed, 0 to check, 21 sent/);
    const report = readFileSync(join(dir, 'input.jsonl.failures.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(report).toEqual([expect.objectContaining({ line: 21, outcome: 'failed', code: 'ERR_MANAGEMENT_API', status: 404, call: JSON.parse(missing) })]);
    expect(env.applied().size).toBe(20);
  });

  it('killed twice with SIGKILL and resumed: nothing skipped, nothing sent twice', async () => {
    env = await bulkTenant(400, { burst: 20, perSecond: 200 });
    const dir = tempDir();
    const input = writeInput(dir, metadataLines(400));
    const journal = join(dir, 'input.jsonl.journal');
    const args = ['bulk', '--input', input];
    const first = await runChild(args, env.env, journal, 80);
    expect(first.signal).toBe('SIGKILL');
    const second = await runChild(args, env.env, journal, 250);
    expect(second.signal).toBe('SIGKILL');
    const last = await runChild(args, env.env, journal);
    const applied = env.applied();
    expect([...applied.values()].filter((c) => c > 1)).toEqual([]);
    const summary = /(\d+)\/400 done \((\d+) from earlier runs\), 0 failed, (\d+) to check/.exec(last.stdout);
    expect(summary).not.toBeNull();
    const [done, earlier, toCheck] = summary!.slice(1).map(Number) as [number, number, number];
    expect(done + toCheck).toBe(400);
    expect(earlier).toBeGreaterThanOrEqual(250);
    // Calls in flight at a kill are listed, not resent; the server applied each of them at most once.
    expect(last.code).toBe(toCheck > 0 ? 1 : 0);
    // Every call the journal records as done was applied exactly once on the server.
    const doneSeqs = new Set(readJournal(journal).flatMap((e) => (e.t === 'ok' ? [e.n] : [])));
    expect(doneSeqs.size).toBe(done);
    for (const n of doneSeqs) expect(applied.get(`/api/v2/users/${encodeURIComponent(userId(n - 1))}`)).toBe(1);
    expect(applied.size).toBeLessThanOrEqual(400);
    if (toCheck > 0) {
      const report = readFileSync(join(dir, 'input.jsonl.failures.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(report.every((r) => r.outcome === 'check' && typeof r.line === 'number')).toBe(true);
      expect(report).toHaveLength(toCheck);
    }
  });
});
