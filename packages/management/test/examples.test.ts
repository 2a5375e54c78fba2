/**
 * Every README example runs here against a loopback fake tenant (node:http on 127.0.0.1, port 0), through the
 * real token provider and the default undici transport, and the README must contain each file verbatim.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { InsufficientScopeError, type ManagementClient } from '@scopebound/management';
import { fakeJwt } from './helpers';
import { startLoopback, type Seen } from './loopback';
import { connect, quickstart } from '../examples/quickstart';
import { scopesExplained } from '../examples/scopes';
import { emailsOfBlockedUsers, sessionIds } from '../examples/pagination';
import { findUser } from '../examples/errors';
import { saveTheme } from '../examples/as-user';
import { routes } from '../examples/request';
import { connectUsers, upgrade } from '../examples/per-resource';

const root = join(__dirname, '..');

let fake: Awaited<ReturnType<typeof startLoopback>>;
let mgmt: ManagementClient;
const minted: string[] = [];

function send(res: ServerResponse, status: number, body?: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

function scopesOf(req: Seen): string[] {
  const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
  if (token === 'user-token') return ['update:current_user_metadata'];
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}') as { scope?: string };
  return (claims.scope ?? '').split(' ');
}

/** A tiny tenant: enough routes for the examples, with Auth0's error shape and scope checks. */
function tenant(req: Seen, res: ServerResponse) {
  const url = new URL(req.url, 'http://x');
  if (req.url === '/oauth/token') {
    const form = new URLSearchParams(req.body);
    const scope = form.get('scope') ?? '';
    minted.push(scope);
    return send(res, 200, { access_token: fakeJwt({ scope, jti: `j${minted.length}` }), scope, expires_in: 86400, token_type: 'Bearer' });
  }
  const need = (scope: string) => {
    if (scopesOf(req).includes(scope)) return true;
    send(res, 403, { statusCode: 403, error: 'Forbidden', message: `Insufficient scope, expected any of: ${scope}`, errorCode: 'insufficient_scope' });
    return false;
  };
  const p = url.pathname;
  if (req.method === 'GET' && p === '/api/v2/users') {
    if (!need('read:users')) return;
    const page = Number(url.searchParams.get('page'));
    const perPage = Number(url.searchParams.get('per_page'));
    const all = Array.from({ length: 130 }, (_, i) => ({ user_id: `auth0|${i}`, email: `u${i}@example.com` }));
    const users = all.slice(page * perPage, (page + 1) * perPage);
    return send(res, 200, { start: page * perPage, limit: perPage, length: users.length, total: all.length, users });
  }
  if (req.method === 'GET' && p === '/api/v2/users/auth0%7C404') {
    if (!need('read:users')) return;
    return send(res, 404, { statusCode: 404, error: 'Not Found', message: 'The user does not exist.', errorCode: 'inexistent_user' });
  }
  if (req.method === 'GET' && p === '/api/v2/users/auth0%7Cforbidden') return send(res, 403, { statusCode: 403, message: 'Insufficient scope, expected any of: read:users_secret', errorCode: 'insufficient_scope' });
  if (req.method === 'GET' && p.startsWith('/api/v2/users/') && p.endsWith('/sessions')) {
    if (!need('read:sessions')) return;
    const from = url.searchParams.get('from');
    return send(res, 200, from ? { sessions: [{ id: 's3' }] } : { sessions: [{ id: 's1' }, { id: 's2' }], next: 'cursor-1' });
  }
  if (req.method === 'GET' && p.startsWith('/api/v2/users/')) {
    if (!need('read:users')) return;
    return send(res, 200, { user_id: decodeURIComponent(p.split('/')[4]!), email: 'jane@example.com' });
  }
  if (req.method === 'PATCH' && p.startsWith('/api/v2/users/')) {
    const body = JSON.parse(req.body) as Record<string, unknown>;
    const scopes = scopesOf(req);
    const ok = scopes.includes('update:users') || (Object.keys(body).join() === 'app_metadata' && scopes.includes('update:users_app_metadata')) || (Object.keys(body).join() === 'user_metadata' && scopes.includes('update:current_user_metadata'));
    if (!ok) return send(res, 403, { statusCode: 403, message: 'Insufficient scope, expected any of: update:users', errorCode: 'insufficient_scope' });
    return send(res, 200, { user_id: decodeURIComponent(p.split('/')[4]!), ...body });
  }
  if (req.method === 'GET' && p === '/api/v2/brand-new-feature/x1') {
    if (!need('read:users')) return;
    return send(res, 200, { id: 'x1' });
  }
  send(res, 404, { statusCode: 404, error: 'Not Found', message: `no route ${req.method} ${p}` });
}

beforeAll(async () => {
  fake = await startLoopback();
  fake.setHandler(tenant);
  mgmt = connect({ AUTH0_BASE_URL: fake.baseUrl, AUTH0_CLIENT_ID: 'app', AUTH0_CLIENT_SECRET: 'secret' });
});
afterAll(async () => {
  await mgmt.close();
  await fake.close();
});

describe('README examples', () => {
  it('are all in the README verbatim', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const files = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const code = readFileSync(join(root, 'examples', f), 'utf8').trimEnd();
      expect(readme, `README must contain examples/${f} verbatim`).toContain(code);
    }
  });

  it('quickstart', async () => {
    await expect(quickstart(mgmt)).resolves.toBe('jane@example.com');
    expect(minted).toContain('read:users');
    expect(minted).toContain('update:users_app_metadata');
    expect(minted).not.toContain('update:users');
  });

  it('scopes', async () => {
    const { decision, refused } = await scopesExplained(mgmt);
    expect(decision.request).toEqual(['update:users_app_metadata']);
    expect(decision.eligible).toEqual([['update:users_app_metadata'], ['update:users']]);
    expect(refused).toBe('users.delete');
  });

  it('pagination', async () => {
    const emails = await emailsOfBlockedUsers(mgmt);
    expect(emails).toHaveLength(130);
    await expect(sessionIds(mgmt, 'auth0|1')).resolves.toEqual(['s1', 's2', 's3']);
  });

  it('errors', async () => {
    await expect(findUser(mgmt, 'auth0|404')).resolves.toBeUndefined();
    await expect(findUser(mgmt, 'auth0|1')).resolves.toMatchObject({ user_id: 'auth0|1' });
    await expect(findUser(mgmt, 'auth0|forbidden')).rejects.toBeInstanceOf(InsufficientScopeError);
  });

  it('asUser', async () => {
    const before = minted.length;
    await expect(saveTheme(mgmt, 'user-token', 'auth0|7')).resolves.toMatchObject({ user_metadata: { theme: 'dark' } });
    expect(minted.length).toBe(before);
  });

  it('per-resource import', async () => {
    const users = connectUsers({ AUTH0_BASE_URL: fake.baseUrl, AUTH0_CLIENT_ID: 'app', AUTH0_CLIENT_SECRET: 'secret' });
    try {
      const before = minted.length;
      await expect(upgrade(users, 'auth0|9')).resolves.toEqual({ plan: 'pro' });
      expect(minted.slice(before)).toEqual(['update:users_app_metadata']);
      expect('roles' in users).toBe(false);
    } finally {
      await users.close();
    }
  });

  it('request', async () => {
    await expect(routes(mgmt)).resolves.toEqual({ user: { user_id: 'auth0|123', email: 'jane@example.com' }, status: 200 });
  });
});
