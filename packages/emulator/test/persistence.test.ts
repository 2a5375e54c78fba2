import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmulator, EmulatorOptionError } from '../src/index';
import { SAVE_DEBOUNCE_MS } from '../src/persistence';
import { call } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'scopebound-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const client = { clientId: 'keep-app', clientSecret: 'keep-app-secret-0123', grants: ['read:users', 'create:users', 'read:roles', 'create:roles'] };

describe('createEmulator({ stateFile })', () => {
  const file = join(dir, 'tenant.json');

  it('saves on change (debounced) and on close, and a new emulator loads the same tenant', async () => {
    const first = createEmulator({ domain: 'keep.example.test', stateFile: file, clients: [client] });
    const token = await first.admin.mintToken({ sub: 'keep@clients', scope: 'create:users create:roles' });
    const created = await call(first.fetch, token, 'POST', '/api/v2/users', { connection: 'Username-Password-Authentication', email: 'kept@example.com', password: 'correct horse' });
    expect(created.status).toBe(201);
    await sleep(SAVE_DEBOUNCE_MS * 3);
    expect(readFileSync(file, 'utf8')).toContain('kept@example.com');
    await call(first.fetch, token, 'POST', '/api/v2/roles', { name: 'saved-on-close' });
    const globalId = await first.admin.globalClientId();
    await first.close();
    expect(readFileSync(file, 'utf8')).toContain('saved-on-close');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]); // the temp file was renamed

    const second = createEmulator({ domain: 'keep.example.test', stateFile: file, clients: [client] });
    const t2 = await second.admin.mintToken({ sub: 'keep@clients', scope: 'read:users read:roles read:clients' });
    const users = await call(second.fetch, t2, 'GET', '/api/v2/users-by-email?email=kept%40example.com');
    expect(users.body).toHaveLength(1);
    expect((await call(second.fetch, t2, 'GET', '/api/v2/roles')).body.map((r: { name: string }) => r.name)).toContain('saved-on-close');
    expect(await second.admin.globalClientId()).toBe(globalId);
    // The configured client's secret still works (clients come from the file, not re-seeded).
    const res = await second.fetch('/oauth/token', { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'keep-app', client_secret: client.clientSecret, audience: 'https://keep.example.test/api/v2/' }) });
    expect(res.status).toBe(200);
    await second.close();
  });

  it('refuses a corrupt file with EmulatorOptionError and never overwrites it', async () => {
    const bad = join(dir, 'corrupt.json');
    writeFileSync(bad, '{"format": "scopebound-emulator-state", "version": 1, "domain": "x", "apiSecret": "');
    let error: unknown;
    try {
      createEmulator({ stateFile: bad });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EmulatorOptionError);
    expect((error as EmulatorOptionError).option).toBe('stateFile');
    expect((error as Error).message).toMatch(/not a usable emulator state file: not JSON.*left untouched/);
    expect(readFileSync(bad, 'utf8')).toMatch(/"apiSecret": "$/);
  });

  it('refuses a state file of another tenant, or with a state of the wrong shape', () => {
    const other = join(dir, 'tenant.json');
    expect(() => createEmulator({ domain: 'other.example.test', stateFile: other })).toThrow(/holds the tenant keep\.example\.test/);
    const shape = join(dir, 'shape.json');
    writeFileSync(shape, JSON.stringify({ format: 'scopebound-emulator-state', version: 1, domain: 'emulator.scopebound.test', apiSecret: 's', globalClientId: 'g', state: { users: [] } }));
    expect(() => createEmulator({ stateFile: shape })).toThrow(/state\.users should be a map, found array/);
  });

  it('saves on process exit when close() was never called', async () => {
    const exitFile = join(dir, 'exit.json');
    const script = `
      import { createEmulator } from ${JSON.stringify(join(import.meta.dirname, '../src/index.ts'))};
      const e = createEmulator({ stateFile: ${JSON.stringify(exitFile)} });
      const t = await e.admin.mintToken({ sub: 'x@clients', scope: 'create:roles' });
      await e.fetch('/api/v2/roles', { method: 'POST', headers: { authorization: 'Bearer ' + t, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'saved-on-exit' }) });
      process.exit(0);`;
    const tsx = join(import.meta.dirname, '../../../node_modules/.bin/tsx');
    await promisify(execFile)(tsx, ['--conditions=@scopebound/source', '--input-type=module', '-e', script], { timeout: 60_000 });
    expect(existsSync(exitFile)).toBe(true);
    expect(readFileSync(exitFile, 'utf8')).toContain('saved-on-exit');
  });
});
