/**
 * The least-privilege invariant, as a property over every operation of the table × random allow-lists ×
 * bodies × explicit scopes: each call either sends a token whose scopes satisfy the operation's rule and lie
 * within the allow-list, or throws before asking for a token or sending anything.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isScopeNeed, SCOPES, type AccessToken, type ScopeNeed, type TokenSource } from '@scopebound/token';
import { createManagementClient, ScopeboundError } from '../src/index';
import { alternativesFor, isAuthorized, isSpecialScope, operations, type OperationDef } from '../src/operations';

const server = (SCOPES as readonly string[]).filter((s) => !isSpecialScope(s));

interface Seen {
  needs: ScopeNeed[];
  sent: { path: string; scopes: readonly string[] }[];
}

function harness(seen: Seen, pick: () => number) {
  const tokens: TokenSource = {
    async getToken(need) {
      if (!isScopeNeed(need)) throw new Error('the client must pass a ScopeNeed');
      seen.needs.push(need);
      // A token for any alternative of the need (a cache hit may serve any of them).
      const scopes = need.alternatives[pick() % need.alternatives.length]!;
      return { value: `tok.${scopes.join('.')}`, scopes, expiresAt: Date.now() + 3_600_000, clientId: 'c' } satisfies AccessToken;
    },
    async invalidate() {},
  };
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const auth = new Headers(init?.headers).get('authorization') ?? '';
    const scopes = auth.replace(/^Bearer tok\.?/, '').split('.').filter(Boolean);
    seen.sent.push({ path: String(input), scopes });
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return createManagementClient({ domain: 'tenant.example.com', tokens, fetch, retry: false });
}

const opArb = fc.constantFrom(...operations);
const scopeArb = (op: OperationDef) => fc.constantFrom(...new Set([...op.scopes, ...op.anyOf.flat(), ...server.slice(0, 40)]));
const bodyArb = (op: OperationDef) =>
  op.body === 'none'
    ? fc.constant(undefined)
    : fc.oneof(
        fc.constant({}),
        fc.subarray(['app_metadata', 'user_metadata', 'email', 'name', 'blocked']).map((keys) => Object.fromEntries(keys.map((k) => [k, k.endsWith('metadata') ? { a: 1 } : 'x']))),
      );

/** Mostly the operation's own scopes (so calls often go through), sometimes any scope at all. */
const scopeSetArb = (op: OperationDef, max: number) => {
  const own = [...new Set([...op.anyOf.flat(), ...(op.bodyRules ?? []).flatMap((r) => r.anyOf.flat())])];
  return fc.oneof(
    { weight: 3, arbitrary: own.length ? fc.subarray(own, { minLength: 1 }) : fc.constant([] as string[]) },
    { weight: 1, arbitrary: fc.uniqueArray(scopeArb(op), { maxLength: max }) },
  );
};

const caseArb = opArb.chain((op) =>
  fc.record({
    op: fc.constant(op),
    allow: fc.option(scopeSetArb(op, 4), { nil: undefined }),
    explicit: fc.option(scopeSetArb(op, 3), { nil: undefined, freq: 2 }),
    body: bodyArb(op),
    pick: fc.nat(),
  }),
);

function params(op: OperationDef): Record<string, unknown> {
  return Object.fromEntries(op.pathParams.map((p) => [p, 'x1']));
}

describe('least privilege cannot be bypassed', () => {
  it('every call sends a token that satisfies its operation and lies within the allow-list, or throws before anything is asked or sent', async () => {
    let sentCount = 0;
    let refusedCount = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ op, allow, explicit, body, pick }) => {
        const seen: Seen = { needs: [], sent: [] };
        const root = harness(seen, () => pick);
        const mgmt = allow ? root.withScopes(allow) : root;
        const init = { params: params(op), ...(body !== undefined ? { body } : {}), ...(explicit ? { scopes: explicit } : {}) };
        let error: unknown;
        try {
          await mgmt.request(`${op.method} /api/v2${op.path}` as never, init as never);
        } catch (e) {
          error = e;
        }
        if (error !== undefined) {
          refusedCount++;
          expect(error).toBeInstanceOf(ScopeboundError);
          expect(seen.needs).toEqual([]);
          expect(seen.sent).toEqual([]);
          return;
        }
        sentCount++;
        expect(seen.sent).toHaveLength(1);
        const used = seen.sent[0]!.scopes;
        const rule = alternativesFor(op, body);
        expect(isAuthorized(rule, used), `${op.name} sent with [${used.join(' ')}]`).toBe(true);
        if (allow) expect(used.every((s) => allow.includes(s)), `${op.name} used [${used}] outside [${allow}]`).toBe(true);
        if (explicit) expect(used.every((s) => explicit.includes(s))).toBe(true);
        expect(used.some(isSpecialScope)).toBe(false);
      }),
      { numRuns: 2_000, seed: 20261202 },
    );
    // The generator reaches both outcomes often enough to mean something.
    expect(sentCount).toBeGreaterThan(200);
    expect(refusedCount).toBeGreaterThan(200);
  });

  it('refuses the reported bypasses with nothing sent', async () => {
    const seen: Seen = { needs: [], sent: [] };
    const mgmt = harness(seen, () => 0);
    const view = mgmt.withScopes(['read:users']);
    await expect(view.request('DELETE /api/v2/users/{id}', { params: { id: 'u1' }, scopes: ['read:users'] })).rejects.toMatchObject({ code: 'ERR_SCOPES_MISMATCH' });
    await expect(mgmt.request('DELETE /api/v2/users/{id}', { params: { id: 'u1' }, scopes: [] })).rejects.toMatchObject({ code: 'ERR_SCOPES_MISMATCH' });
    await expect(mgmt.request('GET /api/v2/brand-new-thing', { scopes: [] } as never)).rejects.toMatchObject({ code: 'ERR_INVALID_REQUEST' });
    await expect(mgmt.request('GET /api/v2/brand-new-thing' as never, {} as never)).rejects.toMatchObject({ code: 'ERR_INVALID_REQUEST' });
    expect(seen.needs).toEqual([]);
    expect(seen.sent).toEqual([]);
  });

  it('explicit scopes may choose among the operation\'s own alternatives', async () => {
    const seen: Seen = { needs: [], sent: [] };
    const mgmt = harness(seen, () => 0);
    await mgmt.request('PATCH /api/v2/users/{id}', { params: { id: 'u1' }, body: { app_metadata: { plan: 'pro' } }, scopes: ['update:users'] });
    expect(seen.needs[0]!.alternatives).toEqual([['update:users']]);
    expect(seen.sent[0]!.scopes).toEqual(['update:users']);
  });

  it('validates scope names wherever they enter, with did-you-mean', () => {
    const mgmt = harness({ needs: [], sent: [] }, () => 0);
    expect(() => mgmt.withScopes(['read:user'])).toThrow(/Unknown Management API scope "read:user".*Did you mean "read:users"/);
    expect(() => createManagementClient({ domain: 'tenant.example.com', tokens: { getToken: async () => ({}) as never, invalidate: async () => {} }, allowScopes: ['raed:users'] })).toThrow(/Did you mean "read:users"/);
    return expect(mgmt.request('GET /api/v2/users', { scopes: ['read:usres'] })).rejects.toMatchObject({ code: 'ERR_UNKNOWN_SCOPE', suggestions: expect.arrayContaining(['read:users']) });
  });
});
