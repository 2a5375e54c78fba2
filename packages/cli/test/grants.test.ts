import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, DEMO_CLIENTS, type Emulator } from '@scopebound/emulator';
import { createUsageRecorder, parseUsage, writeUsageFile, type UsageData } from '@scopebound/management/usage';
import { createTokenProvider, credentialsFromJson } from '@scopebound/token';
import { runCli, type CliIO } from '../src/index';
import { planGrants } from '../src/grants/plan';
import { parsePlan } from '../src/grants/plan-file';
import { auditGrants } from '../src/grants/audit';
import { diffPlan } from '../src/grants/apply';

const admin = DEMO_CLIENTS.find((c) => c.key === 'admin')!;
const reader = DEMO_CLIENTS.find((c) => c.key === 'readUsers')!;

function capture(env: Record<string, string | undefined> = {}): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env };
}

/** What the example app's routes need, as a recorder would see them through one broad application. */
function recordedUsage(clientId = admin.clientId, granted: readonly string[] = admin.scopes): UsageData {
  const rec = createUsageRecorder();
  const call = (operation: string, route: string, alternatives: string[][], label: string, times = 1) => {
    for (let i = 0; i < times; i++) rec.record({ operation, route, alternatives, label, clientId, granted });
  };
  call('users.update', 'PATCH /api/v2/users/{id}', [['update:users_app_metadata'], ['update:users']], 'POST /plan', 3);
  call('users.list', 'GET /api/v2/users', [['read:users'], ['read:user_idp_tokens']], 'GET /admin/users', 2);
  call('users.get', 'GET /api/v2/users/{id}', [['read:users'], ['read:user_idp_tokens']], 'GET /profile');
  call('users.roles.assign', 'POST /api/v2/users/{id}/roles', [['create:role_members'], ['update:users']], 'POST /admin/roles');
  return rec.snapshot();
}

describe('planGrants', () => {
  it('plans the minimal grant and one application per distinct scope set, with how much each shrinks', () => {
    const plan = planGrants(recordedUsage());
    expect(plan.grant).toEqual(['create:role_members', 'read:users', 'update:users_app_metadata']);
    expect(plan.members.map((m) => m.scopes)).toEqual([['create:role_members'], ['read:users'], ['update:users_app_metadata']]);
    expect(plan.members[1]!.serves.map((s) => s.operation).sort()).toEqual(['users.get', 'users.list']);
    expect(plan.today.length).toBe(admin.scopes.length);
  });

  it('prefers an alternative the pool needs anyway over a narrower extra scope', () => {
    const rec = createUsageRecorder();
    rec.record({ operation: 'users.update', route: 'PATCH /api/v2/users/{id}', alternatives: [['update:users_app_metadata'], ['update:users']], clientId: 'a', granted: [] });
    rec.record({ operation: 'users.delete', route: 'DELETE /api/v2/users/{id}', alternatives: [['update:users']], clientId: 'a', granted: [] });
    expect(planGrants(rec.snapshot()).grant).toEqual(['update:users']);
  });

  it('merges applications down to --max-apps, adding the fewest scopes to the fewest calls', () => {
    const plan = planGrants(recordedUsage(), { maxApps: 2 });
    expect(plan.members).toHaveLength(2);
    expect(plan.members.flatMap((m) => m.scopes).sort()).toEqual(['create:role_members', 'read:users', 'update:users_app_metadata']);
    // update:users_app_metadata (3 calls) keeps an application of its own: merging it would widen the most calls.
    expect(plan.members.some((m) => m.scopes.length === 1 && m.scopes[0] === 'update:users_app_metadata')).toBe(true);
  });
});

describe('bad input', () => {
  it('refuses an unknown scope in a usage file, naming the entry and the closest scope', () => {
    const bad = { format: 'scopebound-usage', version: 1, calls: [{ operation: 'users.get', route: 'GET /api/v2/users/{id}', alternatives: [['read:user']], count: 1, clients: ['a'] }], grants: {} };
    expect(() => parseUsage(bad, 'usage.json')).toThrow(/calls\[0\]\.alternatives\[0\].*Unknown Management API scope "read:user".*read:users/);
    expect(() => parseUsage({ format: 'nope' }, 'usage.json')).toThrow(/not a Scopebound usage file/);
  });

  it('refuses a malformed plan, naming the entry', () => {
    const plan = planGrants(recordedUsage());
    expect(() => parsePlan({ ...plan, members: [{ ...plan.members[0], scopes: ['update:userz'] }] }, 'plan.json')).toThrow(/members\[0\]\.scopes has a bad scope.*update:users/);
    expect(() => parsePlan({ ...plan, members: [plan.members[0], plan.members[0]] }, 'plan.json')).toThrow(/members\[1\]\.id repeats/);
    expect(() => parsePlan({ format: 'x' }, 'plan.json')).toThrow(/not a grants plan/);
  });
});

describe('scopebound grants, end to end on an Auth0-like emulator (whole grant, no narrowing)', () => {
  let tenant: Emulator;
  let url: string;
  let close: () => Promise<void>;
  let dir: string;
  const env = () => ({ AUTH0_BASE_URL: url, AUTH0_CLIENT_ID: admin.clientId, AUTH0_CLIENT_SECRET: admin.clientSecret });

  beforeAll(async () => {
    tenant = createEmulator({ seed: 'demo' });
    const server = await tenant.listen({ port: 0 });
    url = server.url;
    close = async () => {
      await server.close();
      await tenant.close();
    };
  });
  afterAll(() => close?.());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-grants-'));
    tenant.admin.clearFaults();
  });

  const files = () => ({ usage: join(dir, 'usage.json'), plan: join(dir, 'plan.json'), creds: join(dir, 'creds.json') });

  it('record → plan → apply (dry run, then --yes, then again: nothing to do) → a pool whose tokens carry only their grant → audit', async () => {
    const f = files();
    await writeUsageFile(f.usage, recordedUsage());
    const planned = capture();
    expect(await runCli(['grants', 'plan', '--usage', f.usage, '--out', f.plan], planned)).toBe(0);
    expect(planned.stdout.join('\n')).toMatch(/minimal grant: 3 scopes \(today \d+\)/);

    const before = tenant.admin.journal.list({ method: 'POST' }).length;
    const dry = capture(env());
    expect(await runCli(['grants', 'apply', '--plan', f.plan, '--credentials', f.creds], dry)).toBe(0);
    expect(dry.stdout.filter((l) => l.startsWith('+ create application'))).toHaveLength(3);
    expect(dry.stdout.join('\n')).toMatch(/dry run: nothing was changed/);
    expect(tenant.admin.journal.list({ method: 'POST' }).filter((e) => e.operation === 'clients.create')).toHaveLength(0);
    expect(() => statSync(f.creds)).toThrow();
    expect(before).toBeGreaterThanOrEqual(0);

    const applied = capture(env());
    expect(await runCli(['grants', 'apply', '--plan', f.plan, '--credentials', f.creds, '--yes'], applied)).toBe(0);
    expect(statSync(f.creds).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(f.creds, 'utf8'));
    expect(file.credentials).toHaveLength(3);
    for (const c of file.credentials) {
      expect(applied.stdout.join('\n') + applied.stderr.join('\n')).not.toContain(c.clientSecret);
    }

    const again = capture(env());
    expect(await runCli(['grants', 'apply', '--plan', f.plan, '--credentials', f.creds, '--yes'], again)).toBe(0);
    expect(again.stdout.filter((l) => l.startsWith('= '))).toHaveLength(3);
    expect(again.stdout.filter((l) => /^[+~-] /.test(l))).toHaveLength(0);

    // The pool: on a tenant that grants the whole grant, every token carries exactly its member's grant.
    const tokens = createTokenProvider({ baseUrl: url, credentials: credentialsFromJson(file) });
    const update = await tokens.getToken(['update:users_app_metadata']);
    expect(update.scopes).toEqual(['update:users_app_metadata']);
    expect((await tokens.getToken(['read:users'])).scopes).toEqual(['read:users']);
    expect((await tokens.getToken(['create:role_members'])).scopes).toEqual(['create:role_members']);

    // Audit: the broad application that served the recorded calls is over-granted (exit 1); the pool is not.
    const audit = capture(env());
    expect(await runCli(['grants', 'audit', '--usage', f.usage], audit)).toBe(1);
    expect(audit.stdout.join('\n')).toMatch(new RegExp(`! .*${admin.clientId}.*over-granted: `));
    const poolUsage = join(dir, 'pool-usage.json');
    const rec = createUsageRecorder();
    for (const c of file.credentials as { clientId: string; grants: string[] }[]) {
      rec.record({ operation: 'x', route: 'GET /api/v2/x', alternatives: [c.grants], clientId: c.clientId, granted: c.grants });
    }
    await writeUsageFile(poolUsage, rec.snapshot());
    const poolAudit = capture(env());
    await runCli(['grants', 'audit', '--usage', poolUsage], poolAudit);
    for (const c of file.credentials as { clientId: string }[]) expect(poolAudit.stdout.join('\n')).toMatch(new RegExp(`✓ .*${c.clientId}.*all used`));
  });

  it('a failure midway reports what was applied and what was not; a rerun completes it and keeps the secret it already had', async () => {
    const f = files();
    await writeUsageFile(f.usage, recordedUsage());
    await runCli(['grants', 'plan', '--usage', f.usage, '--out', f.plan, '--prefix', 'midway'], capture());
    tenant.admin.addFault({ match: { operation: 'clientGrants.create' }, status: 500, times: 10 });
    const failed = capture(env());
    expect(await runCli(['grants', 'apply', '--plan', f.plan, '--credentials', f.creds, '--yes'], failed)).toBe(1);
    expect(failed.stderr.join('\n')).toMatch(/applied 1 of 6 step\(s\)/);
    expect(failed.stderr.join('\n')).toMatch(/NOT DONE {2}\+ grant/);
    const firstSecret = JSON.parse(readFileSync(f.creds, 'utf8')).credentials[0].clientSecret as string;
    tenant.admin.clearFaults();
    const rerun = capture(env());
    expect(await runCli(['grants', 'apply', '--plan', f.plan, '--credentials', f.creds, '--yes'], rerun)).toBe(0);
    expect(rerun.stdout.filter((l) => l.startsWith('+ create application'))).toHaveLength(2);
    const file = JSON.parse(readFileSync(f.creds, 'utf8'));
    expect(file.credentials).toHaveLength(3);
    expect(file.credentials[0].clientSecret).toBe(firstSecret);
    const tokens = createTokenProvider({ baseUrl: url, credentials: credentialsFromJson(file) });
    for (const c of file.credentials as { grants: string[] }[]) expect((await tokens.getToken(c.grants)).scopes).toEqual(c.grants);
  });

  it('says which scopes to grant when the tenant credential cannot read applications', async () => {
    const f = files();
    await writeUsageFile(f.usage, recordedUsage());
    const io = capture({ AUTH0_BASE_URL: url, AUTH0_CLIENT_ID: reader.clientId, AUTH0_CLIENT_SECRET: reader.clientSecret });
    expect(await runCli(['grants', 'audit', '--usage', f.usage], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/needs read:clients, read:client_grants.*Grant them to that application/);
  });

  it('refuses a corrupt credentials file and leaves it untouched', async () => {
    const f = files();
    await writeUsageFile(f.usage, recordedUsage());
    await runCli(['grants', 'plan', '--usage', f.usage, '--out', f.plan, '--prefix', 'corrupt'], capture());
    writeFileSync(f.creds, '{ not json');
    const io = capture(env());
    expect(await runCli(['grants', 'apply', '--plan', f.plan, '--credentials', f.creds, '--yes'], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/not JSON; it is left untouched/);
    expect(readFileSync(f.creds, 'utf8')).toBe('{ not json');
  });

  it('diffPlan and auditGrants are pure views of the tenant', () => {
    const plan = planGrants(recordedUsage());
    const m = plan.members[0]!;
    const steps = diffPlan(plan, [{ clientId: 'c1', name: 'x', member: m.id, grant: { id: 'g1', scopes: ['create:role_members', 'read:users'] } }]);
    expect(steps[0]).toMatchObject({ kind: 'update-grant', add: [], remove: ['read:users'] });
    const report = auditGrants([{ clientId: admin.clientId, name: 'a', member: undefined, grant: { id: 'g', scopes: ['read:users', 'delete:users'] } }], recordedUsage());
    expect(report.apps[0]!.overGranted).toEqual(['delete:users']);
    expect(report.apps[0]!.uncovered).toContain('users.update (POST /plan)');
  });
});
