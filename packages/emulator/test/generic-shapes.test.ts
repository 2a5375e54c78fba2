import { describe, expect, it } from 'vitest';
import { call, harness, HOSTS } from './helpers';

describe.each(HOSTS)('the generic store answers in the declared shape (%s)', (host) => {
  const setup = harness(host, { seed: 'demo' });
  const admin = async () => (await setup).em.admin.mintToken({ sub: 'shapes@clients', scope: 'read:guardian_factors update:guardian_factors read:log_streams create:log_streams read:custom_domains create:custom_domains read:attack_protection read:email_provider read:prompts update:mfa_policies read:mfa_policies read:roles read:organization_clients create:organization_clients delete:organization_clients read:organizations' });

  it('lists without pagination as arrays, with Auth0 default items merged by name', async () => {
    const { send } = await setup;
    const t = await admin();
    const factors = await call(send, t, 'GET', '/api/v2/guardian/factors');
    expect(Array.isArray(factors.body)).toBe(true);
    expect(factors.body.find((f: { name: string }) => f.name === 'otp')).toEqual({ name: 'otp', enabled: false, trial_expired: false });
    await call(send, t, 'PUT', '/api/v2/guardian/factors/otp', { enabled: true });
    const after = await call(send, t, 'GET', '/api/v2/guardian/factors');
    expect(after.body.find((f: { name: string }) => f.name === 'otp').enabled).toBe(true);
    expect(after.body).toHaveLength(factors.body.length);
    expect((await call(send, t, 'GET', '/api/v2/log-streams')).body).toEqual([]);
    const stream = await call(send, t, 'POST', '/api/v2/log-streams', { name: 's', type: 'http', sink: { httpEndpoint: 'https://example.test' } });
    expect((await call(send, t, 'GET', '/api/v2/log-streams')).body).toEqual([stream.body]);
  });

  it('answers a whole-list PUT back as the list', async () => {
    const { send } = await setup;
    const t = await admin();
    expect((await call(send, t, 'GET', '/api/v2/guardian/policies')).body).toEqual([]);
    await call(send, t, 'PUT', '/api/v2/guardian/policies', ['all-applications']);
    expect((await call(send, t, 'GET', '/api/v2/guardian/policies')).body).toEqual(['all-applications']);
  });

  it('answers checkpoint envelopes only when from/take is sent, unless the envelope is the only shape', async () => {
    const { send } = await setup;
    const t = await admin();
    await call(send, t, 'POST', '/api/v2/custom-domains', { domain: 'login.example.test', type: 'auth0_managed_certs' });
    const plain = await call(send, t, 'GET', '/api/v2/custom-domains');
    expect(Array.isArray(plain.body)).toBe(true);
    expect(plain.body).toHaveLength(1);
    const paged = await call(send, t, 'GET', '/api/v2/custom-domains?take=1');
    expect(paged.body).toMatchObject({ custom_domains: [{ domain: 'login.example.test' }] });
  });

  it("answers Auth0's defaults for unset settings, and 404 where Auth0 has none until configured", async () => {
    const { send } = await setup;
    const t = await admin();
    expect((await call(send, t, 'GET', '/api/v2/attack-protection/brute-force-protection')).body).toMatchObject({ enabled: true, max_attempts: 10 });
    expect((await call(send, t, 'GET', '/api/v2/guardian/factors/sms/templates')).body.enrollment_message).toContain('{{code}}');
    expect((await call(send, t, 'GET', '/api/v2/prompts')).body).toMatchObject({ universal_login_experience: 'new' });
    expect((await call(send, t, 'GET', '/api/v2/emails/provider')).status).toBe(404);
  });

  it('accepts GET /roles?type=… (sent by current SDKs)', async () => {
    const { send } = await setup;
    const t = await admin();
    const roles = await call(send, t, 'GET', '/api/v2/roles?type=tenant&per_page=2');
    expect(roles.status).toBe(200);
    expect(roles.body).toHaveLength(2);
    expect((await call(send, t, 'GET', '/api/v2/roles?kind=x')).body.errorCode).toBe('invalid_query_string');
  });
});

describe('GET/POST/DELETE /organizations/{id}/clients (overlay additions)', () => {
  const setup = harness('http', { seed: 'demo' });

  it('associates, lists (checkpoint envelope) and disassociates clients', async () => {
    const { send, em } = await setup;
    const t = await em.admin.mintToken({ sub: 'org@clients', scope: 'read:organization_clients create:organization_clients delete:organization_clients' });
    const path = '/api/v2/organizations/org_demo_acme/clients';
    expect((await call(send, t, 'GET', path)).body).toEqual({ clients: [] });
    const created = await call(send, t, 'POST', path, { clients: [{ client_id: 'sb-demo-admin', use_for_member_access: true }] });
    expect(created.status).toBe(201);
    const listed = await call(send, t, 'GET', path);
    expect(listed.body.clients).toEqual([{ client_id: 'sb-demo-admin', use_for_member_access: true, client: { name: expect.any(String), app_type: 'non_interactive' } }]);
    expect((await call(send, t, 'POST', path, { clients: [{ client_id: 'nope' }] })).status).toBe(404);
    expect((await call(send, t, 'DELETE', path, { clients: ['sb-demo-admin'] })).status).toBe(204);
    expect((await call(send, t, 'GET', path)).body.clients).toEqual([]);
    const reader = await em.admin.mintToken({ sub: 'r@clients', scope: 'read:organizations' });
    expect((await call(send, reader, 'GET', path)).status).toBe(403);
  });
});

describe('the global client', () => {
  const setup = harness('in-process');

  it('exists in every tenant, is listed by is_global=true, and holds the API secret', async () => {
    const { send, em } = await setup;
    const t = await em.admin.mintToken({ sub: 'g@clients', scope: 'read:clients read:client_keys' });
    const global = await call(send, t, 'GET', '/api/v2/clients?is_global=true');
    expect(global.body).toHaveLength(1);
    expect(global.body[0]).toMatchObject({ global: true, name: 'All Applications', client_id: await em.admin.globalClientId(), client_secret: await em.admin.apiSecret() });
    expect((await call(send, t, 'GET', '/api/v2/clients?is_global=false')).body.some((c: { global: boolean }) => c.global)).toBe(false);
    const rotated = await em.admin.rotateApiSecret();
    expect((await call(send, t, 'GET', `/api/v2/clients/${await em.admin.globalClientId()}`)).body.client_secret).toBe(rotated);
  });
});
