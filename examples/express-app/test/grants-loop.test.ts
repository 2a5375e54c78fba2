/**
 * Least privilege on an Auth0-like tenant (the emulator's default: every token carries the application's
 * whole grant, whatever scope is asked). The example app runs on one broad application while its routes are
 * exercised with a usage recorder; `scopebound grants plan` and `grants apply` turn the usage into a pool of
 * right-sized applications; the app restarted on that pool gets tokens carrying only their member's grant,
 * and the plan change is served by a token whose scope is exactly update:users_app_metadata.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '@scopebound/cli';
import { createEmulator, DEMO_CLIENTS, DEMO_IDS, type Emulator } from '@scopebound/emulator';
import { createUsageRecorder, writeUsageFile, type UsageRecorder } from '@scopebound/management/usage';
import { clientSecret, credentialsFromJson, type Credential, type TokenEvent } from '@scopebound/token';
import { createApp } from '../src/app';

const admin = DEMO_CLIENTS.find((c) => c.key === 'admin')!;
const ADA = encodeURIComponent(DEMO_IDS.firstUser);
let emu: Emulator;
let emuUrl: string;
let stopEmu: () => Promise<void>;

beforeAll(async () => {
  emu = createEmulator({ seed: 'demo' }); // Auth0-like: no narrowing
  const server = await emu.listen({ port: 0 });
  emuUrl = server.url;
  stopEmu = async () => {
    await server.close();
    await emu.close();
  };
});
afterAll(() => stopEmu?.());

/** Start the app on `credentials`, drive every route that calls the API, stop it; returns the token events. */
async function exercise(credentials: Credential | Credential[], usage?: UsageRecorder): Promise<TokenEvent[]> {
  const events: TokenEvent[] = [];
  const example = createApp({ domain: emu.domain, baseUrl: emuUrl, credentials, onTokenEvent: (e) => events.push(e), ...(usage ? { usage } : {}) });
  const server = createServer(example.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (path: string, body?: unknown) => {
    const res = await fetch(url + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status, path).toBe(200);
  };
  try {
    await call('/users?per_page=5');
    await call(`/users/${ADA}`);
    await call(`/users/${ADA}/plan`, { plan: 'pro' });
    await call(`/users/${ADA}/roles`, { role: DEMO_IDS.roles.editor });
    await call('/roles');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await example.close();
  }
  return events;
}

const io = (env: Record<string, string | undefined> = {}) => {
  const out: string[] = [];
  return { out, io: { out: (l: string) => out.push(l), err: (l: string) => out.push(l), env } };
};

describe('record → plan → apply → the app on a right-sized pool', () => {
  it('every token then carries only its pool member\'s grant; the plan change gets exactly update:users_app_metadata', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-loop-'));
    const files = { usage: join(dir, 'usage.json'), plan: join(dir, 'plan.json'), creds: join(dir, 'pool.json') };

    // 1. One broad application: every token carries its whole grant (the problem).
    const usage = createUsageRecorder();
    const broad = await exercise(clientSecret({ clientId: admin.clientId, clientSecret: admin.clientSecret! }), usage);
    const broadMints = broad.filter((e) => e.type === 'mint');
    expect(broadMints.length).toBeGreaterThan(0);
    for (const m of broadMints) expect(m.scopes.length).toBe(admin.scopes.length);
    const recorded = usage.snapshot();
    expect(recorded.calls.map((c) => c.label)).toContain('POST /users/:id/plan');
    await writeUsageFile(files.usage, recorded);

    // 2. Plan and apply (dry run first), with the broad application as the tenant credential.
    const env = { AUTH0_BASE_URL: emuUrl, AUTH0_CLIENT_ID: admin.clientId, AUTH0_CLIENT_SECRET: admin.clientSecret };
    const plan = io();
    expect(await runCli(['grants', 'plan', '--usage', files.usage, '--out', files.plan, '--prefix', 'example'], plan.io)).toBe(0);
    const dry = io(env);
    expect(await runCli(['grants', 'apply', '--plan', files.plan, '--credentials', files.creds], dry.io)).toBe(0);
    expect(dry.out.join('\n')).toMatch(/dry run: nothing was changed/);
    const applied = io(env);
    expect(await runCli(['grants', 'apply', '--plan', files.plan, '--credentials', files.creds, '--yes'], applied.io)).toBe(0);
    const pool = JSON.parse(readFileSync(files.creds, 'utf8')) as { credentials: { clientId: string; grants: string[] }[] };
    const grantOf = new Map(pool.credentials.map((c) => [c.clientId, [...c.grants].sort()]));

    // 3. The app restarted on the pool.
    const narrow = await exercise(credentialsFromJson(pool));
    const mints = narrow.filter((e): e is Extract<TokenEvent, { type: 'mint' }> => e.type === 'mint');
    expect(mints.length).toBeGreaterThan(0);
    for (const m of mints) {
      expect(grantOf.has(m.clientId), `minted with ${m.clientId}, not a pool member`).toBe(true);
      expect([...m.scopes].sort()).toEqual(grantOf.get(m.clientId));
      expect(m.scopes.length).toBeLessThan(admin.scopes.length);
    }
    const planChange = mints.filter((m) => m.requested.includes('update:users_app_metadata'));
    expect(planChange).toHaveLength(1);
    expect(planChange[0]!.scopes).toEqual(['update:users_app_metadata']);

    // 4. Audit: the broad application is over-granted against the usage (exit 1).
    const audit = io(env);
    expect(await runCli(['grants', 'audit', '--usage', files.usage], audit.io)).toBe(1);
  });
});
