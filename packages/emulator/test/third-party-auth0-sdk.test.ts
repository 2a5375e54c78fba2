import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ManagementClient } from 'auth0';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmulator, DEMO_CLIENTS, DEMO_IDS } from '../src/index';

const admin = DEMO_CLIENTS.find((c) => c.key === 'admin')!;
const em = createEmulator({ seed: 'demo', domain: 'sdk.example.test' });
afterAll(() => em.close());

describe('the official auth0 SDK, unmodified, over HTTP (its fetch option)', () => {
  const started = em.listen();
  const client = async () => {
    const server = await started;
    // The SDK builds https://{domain} URLs; its fetch option sends them to the emulator's HTTP origin instead.
    const toEmulator: typeof fetch = (input, init) => fetch(String(input instanceof Request ? input.url : input).replace('https://sdk.example.test', server.url), init);
    return new ManagementClient({ domain: 'sdk.example.test', clientId: admin.clientId, clientSecret: admin.clientSecret!, fetch: toEmulator });
  };

  it('gets a token, lists and pages users, reads one, creates and updates one', async () => {
    const mgmt = await client();
    const page = await mgmt.users.list({ per_page: 5, q: 'app_metadata.plan:pro' });
    expect(page.data).toHaveLength(5);
    expect(page.data.every((u) => (u.app_metadata as { plan?: string }).plan === 'pro')).toBe(true);
    const ada = await mgmt.users.get(DEMO_IDS.firstUser);
    expect(ada.user_id).toBe(DEMO_IDS.firstUser);
    const created = await mgmt.users.create({ connection: 'Username-Password-Authentication', email: 'sdk@example.com', password: 'correct horse battery' });
    const updated = await mgmt.users.update(created.user_id!, { app_metadata: { plan: 'enterprise' } });
    expect(updated.app_metadata).toEqual({ plan: 'enterprise' });
  });

  it('lists roles with the query the SDK sends, the global client, and organization clients', async () => {
    const mgmt = await client();
    const roles = await mgmt.roles.list({ per_page: 2 });
    expect(roles.data.map((r) => r.id)).toHaveLength(2);
    const typed = await mgmt.roles.list({ type: 'tenant' } as never);
    expect(typed.data.length).toBeGreaterThan(0);
    const global = await mgmt.clients.list({ is_global: true });
    expect(global.data).toHaveLength(1);
    expect(global.data[0]).toMatchObject({ global: true, name: 'All Applications' });
    await mgmt.organizations.clients.create(DEMO_IDS.organizations[0], { clients: [{ client_id: admin.clientId }] } as never);
    const orgClients = await mgmt.organizations.clients.list(DEMO_IDS.organizations[0]);
    expect(orgClients.data.map((c) => c.client_id)).toEqual([admin.clientId]);
  });

  it('reads list endpoints without pagination as arrays (guardian factors, log streams)', async () => {
    const mgmt = await client();
    const factors = await mgmt.guardian.factors.list();
    expect(factors.map((f) => f.name)).toContain('otp');
    expect(await mgmt.logStreams.list()).toEqual([]);
  });
});

describe('the official auth0 SDK, unmodified, over HTTPS (plain domain option, private_key_jwt)', () => {
  it('authenticates with an assertion for https://127.0.0.1:PORT/ and reads users, trusting the CA via NODE_EXTRA_CA_CERTS', async () => {
    const server = await em.listen({ https: true });
    const dir = mkdtempSync(join(tmpdir(), 'scopebound-sdk-'));
    try {
      const caFile = join(dir, 'ca.pem');
      writeFileSync(caFile, server.ca!);
      const key = await em.admin.demoPrivateKey();
      const script = `
        import { ManagementClient } from 'auth0';
        const mgmt = new ManagementClient({ domain: ${JSON.stringify(`127.0.0.1:${server.port}`)}, clientId: ${JSON.stringify(key.clientId)}, clientAssertionSigningKey: process.env.SDK_KEY, clientAssertionSigningAlg: 'RS256' });
        const page = await mgmt.users.list({ per_page: 3 });
        const role = await mgmt.roles.get(${JSON.stringify(DEMO_IDS.roles.admin)});
        console.log(JSON.stringify({ users: page.data.map((u) => u.user_id), role: role.name }));`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        cwd: join(import.meta.dirname, '..'),
        env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, SDK_KEY: key.privateKeyPem },
        timeout: 60_000,
      });
      const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as { users: string[]; role: string };
      expect(out.users).toHaveLength(3);
      expect(out.role).toBe('admin');
      const mints = em.journal.list({ operation: 'oauth.token', clientId: key.clientId });
      expect(mints.at(-1)?.status).toBe(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await server.close();
    }
  });
});
