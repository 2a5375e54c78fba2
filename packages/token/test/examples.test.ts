/** Every README example runs here, against msw, and the README must contain each one verbatim. */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { jwtVerify } from 'jose';
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTokenServer, mswServer } from './helpers';

const DOMAIN = 'example-tenant.eu.auth0.com';
const server = mswServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = (name: string) => readFileSync(new URL(`../examples/${name}`, import.meta.url), 'utf8');
const logs = () => {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ')));
  return lines;
};

describe('README examples', () => {
  it.each(['client-secret.ts', 'private-key-jwt.ts', 'signed-secret.ts', 'pool.ts', 'store-contract.ts'])(
    'the README contains examples/%s verbatim',
    (name) => {
      expect(readme).toContain('```ts\n' + example(name) + '```');
    },
  );

  it('client-secret.ts mints once, calls the API and never prints the token', async () => {
    vi.stubEnv('AUTH0_DOMAIN', DOMAIN);
    vi.stubEnv('AUTH0_CLIENT_ID', 'example-app');
    vi.stubEnv('AUTH0_CLIENT_SECRET', 'example-secret-123');
    const ts = createTokenServer({ domain: DOMAIN, grants: { 'example-app': ['read:users'] }, secrets: { 'example-app': 'example-secret-123' } });
    let auth: string | null = null;
    server.use(
      ts.handler,
      http.get(`https://${DOMAIN}/api/v2/users`, ({ request }) => {
        auth = request.headers.get('authorization');
        return HttpResponse.json([]);
      }),
    );
    const lines = logs();
    await import('../examples/client-secret');
    expect(ts.calls).toHaveLength(1);
    expect(auth).toMatch(/^Bearer ey/);
    expect(lines[0]).toMatch(/^200 \[ 'read:users' \]/);
    expect(lines[1]).toContain('[redacted]');
    expect(lines.join('\n')).not.toContain((auth as unknown as string).slice(7));
  });

  it('private-key-jwt.ts sends an assertion that verifies with the public key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    vi.stubEnv('AUTH0_DOMAIN', DOMAIN);
    vi.stubEnv('AUTH0_CLIENT_ID', 'pk-app');
    vi.stubEnv('AUTH0_PRIVATE_KEY', privateKey);
    let assertion = '';
    server.use(
      http.post(`https://${DOMAIN}/oauth/token`, async ({ request }) => {
        assertion = new URLSearchParams(await request.text()).get('client_assertion') ?? '';
        return HttpResponse.json({ access_token: 'h.p.s', expires_in: 86400, token_type: 'Bearer', scope: 'read:roles read:users update:users' });
      }),
    );
    const lines = logs();
    await import('../examples/private-key-jwt');
    await expect(jwtVerify(assertion, createPublicKey(publicKey), { issuer: 'pk-app', subject: 'pk-app', audience: `https://${DOMAIN}/` })).resolves.toBeDefined();
    expect(lines).toEqual(['granted read:roles read:users update:users']);
  });

  it('signed-secret.ts signs locally and re-signs after rotation', async () => {
    vi.stubEnv('AUTH0_DOMAIN', DOMAIN);
    vi.stubEnv('AUTH0_API_SECRET', 'first-api-secret-0123456789');
    vi.stubEnv('AUTH0_NEXT_API_SECRET', 'second-api-secret-9876543210');
    const lines = logs();
    await import('../examples/signed-secret'); // no handler: any request would fail the test (onUnhandledRequest: 'error')
    expect(lines).toEqual(["[ 'read:users', 'update:users' ]", 'true']);
  });

  it('pool.ts picks the least privileged application per call', async () => {
    vi.stubEnv('AUTH0_DOMAIN', DOMAIN);
    vi.stubEnv('ADMIN_SECRET', 'admin-secret-1');
    vi.stubEnv('READER_SECRET', 'reader-secret-1');
    vi.stubEnv('LOGS_SECRET', 'logs-secret-1');
    const ts = createTokenServer({
      domain: DOMAIN,
      grants: { 'admin-app': ['read:users', 'update:users', 'delete:users'], 'reader-app': ['read:users'], 'logs-app': ['read:logs'] },
    });
    server.use(ts.handler);
    const lines = logs();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await import('../examples/pool');
    expect(lines.filter((l) => !l.startsWith('minted'))).toEqual(['reader-app', 'admin-app', 'logs-app', 'ERR_NO_COVERING_CREDENTIAL']);
    expect(lines.filter((l) => l.startsWith('minted'))).toHaveLength(3);
  });
});

describe('store-contract.ts', async () => {
  await import('../examples/store-contract');
});
