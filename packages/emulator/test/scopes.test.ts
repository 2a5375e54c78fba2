import { describe, expect, it } from 'vitest';
import { operations } from '@scopebound/management';
import { DEMO_IDS } from '../src/index';
import { call, enc, harness, HOSTS } from './helpers';

const SPECIAL = /current_user/;

function concrete(path: string): string {
  return `/api/v2${path.replace(/\{[^}]+\}/g, 'x')}`;
}

const namespaces = new Map<string, (typeof operations)[number]>();
for (const op of operations) {
  const ns = op.name.split('.')[0]!;
  if (!namespaces.has(ns)) namespaces.set(ns, op);
}
const nonAny = operations.filter((op) => op.rule !== 'any');

describe.each(HOSTS)('scope enforcement over %s', (host) => {
  const setup = harness(host, { seed: 'demo' });
  const mint = async (scope: readonly string[], sub = 'scope-test@clients') => (await setup).em.admin.mintToken({ sub, scope: [...scope] });

  it(`samples one operation from every namespace (${namespaces.size})`, async () => {
    const { send } = await setup;
    const empty = await mint([]);
    for (const [ns, op] of namespaces) {
      const path = concrete(op.path);
      const refused = await call(send, empty, op.method, path);
      expect(refused.status, `${ns}: ${op.name}`).toBe(403);
      expect(refused.body.errorCode).toBe('insufficient_scope');
      expect(refused.body.error).toBe('Forbidden');
      expect(refused.body.message).toMatch(/^Insufficient scope, expected (any|all) of: /);
      for (const s of op.scopes) expect(refused.body.message, op.name).toContain(s);
      for (const alt of op.anyOf.filter((a) => !a.some((s) => SPECIAL.test(s)))) {
        const allowed = await call(send, await mint(alt), op.method, path);
        expect([401, 403], `${op.name} with ${alt.join(' ')}`).not.toContain(allowed.status);
      }
    }
  });

  /** Auth0 words the 403 in the document's order (the table keeps alternatives narrowest first). */
  const documentOrder = (op: (typeof nonAny)[number]) => {
    const listed: readonly string[] = op.scopes;
    const rank = (alt: readonly string[]) => Math.min(...alt.map((s) => listed.indexOf(s)));
    return [...op.anyOf].sort((a, b) => rank(a) - rank(b));
  };

  it(`enforces every non-any operation (${nonAny.length}) with all-of wording`, async () => {
    const { send } = await setup;
    expect(nonAny.length).toBe(7);
    for (const op of nonAny) {
      const path = concrete(op.path);
      for (const alt of op.anyOf) {
        const ok = await call(send, await mint(alt), op.method, path);
        expect([401, 403], `${op.name} with ${alt.join(' ')}`).not.toContain(ok.status);
        if (alt.length > 1) {
          for (const dropped of alt) {
            const partial = alt.filter((s) => s !== dropped);
            const refused = await call(send, await mint(partial), op.method, path);
            // Another alternative may be satisfied by the partial set (mixed rules).
            if (op.anyOf.some((a) => a.every((s) => partial.includes(s)))) continue;
            expect(refused.status, `${op.name} without ${dropped}`).toBe(403);
            const expected =
              op.anyOf.length === 1
                ? `Insufficient scope, expected all of: ${op.anyOf[0]!.join(',')}`
                : `Insufficient scope, expected any of: ${documentOrder(op).map((a) => a.join('+')).join(',')}`;
            expect(refused.body).toEqual({ statusCode: 403, error: 'Forbidden', message: expected, errorCode: 'insufficient_scope' });
          }
        }
      }
    }
  });

  it('answers the exact any-of 403 body', async () => {
    const { send } = await setup;
    const res = await call(send, await mint(['read:roles']), 'GET', `/api/v2/users/${enc(DEMO_IDS.firstUser)}`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Insufficient scope, expected any of: read:users,read:current_user,read:user_idp_tokens',
      errorCode: 'insufficient_scope',
    });
  });

  it('applies body-aware rules: update:users_app_metadata only for app_metadata-only bodies', async () => {
    const { send } = await setup;
    const token = await mint(['update:users_app_metadata']);
    const path = `/api/v2/users/${enc(DEMO_IDS.firstUser)}`;
    expect((await call(send, token, 'PATCH', path, { app_metadata: { plan: 'pro' } })).status).toBe(200);
    const mixed = await call(send, token, 'PATCH', path, { app_metadata: { plan: 'pro' }, name: 'x' });
    expect(mixed.status).toBe(403);
    expect(mixed.body.message).toBe('Insufficient scope, expected any of: update:users');
    const userMeta = await call(send, token, 'PATCH', path, { user_metadata: { a: 1 } });
    expect(userMeta.body.message).toBe('Insufficient scope, expected any of: update:users,update:current_user_metadata');
  });

  it("limits current_user scopes to the token's own user", async () => {
    const { send } = await setup;
    const me = DEMO_IDS.firstUser;
    const other = DEMO_IDS.googleUser;
    const token = await mint(['read:current_user', 'update:current_user_metadata'], me);
    expect((await call(send, token, 'GET', `/api/v2/users/${enc(me)}`)).status).toBe(200);
    expect((await call(send, token, 'GET', `/api/v2/users/${enc(other)}`)).status).toBe(403);
    expect((await call(send, token, 'PATCH', `/api/v2/users/${enc(me)}`, { user_metadata: { theme: 'dark' } })).status).toBe(200);
    expect((await call(send, token, 'PATCH', `/api/v2/users/${enc(other)}`, { user_metadata: { theme: 'dark' } })).status).toBe(403);
    expect((await call(send, token, 'PATCH', `/api/v2/users/${enc(me)}`, { app_metadata: { plan: 'x' } })).status).toBe(403);
    expect((await call(send, token, 'GET', '/api/v2/users')).status).toBe(403);
  });
});
