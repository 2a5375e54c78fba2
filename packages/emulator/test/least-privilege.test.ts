/**
 * Least privilege against the emulator: narrowest alternative first, and a fallback to the next alternative
 * the call allows when the tenant refuses the first (the application is not granted it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenProvider, clientSecret, scopeNeed, type TokenEvent } from '@scopebound/token';
import { createEmulator, type Emulator } from '../src/index';

const appMetadataNeed = scopeNeed([['update:users_app_metadata'], ['update:users']]);

describe('fallback to the next alternative on access_denied (a narrowing tenant)', () => {
  let em: Emulator;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    em = createEmulator({
      seed: false,
      narrowScopes: true,
      clients: [{ clientId: 'broad-writer', clientSecret: 'broad-writer-secret', grants: ['update:users'] }],
    });
    const server = await em.listen({ port: 0 });
    url = server.url;
    close = async () => {
      await server.close();
      await em.close();
    };
  });
  afterAll(() => close?.());

  it('a credential granted only update:users still gets a token for an app_metadata update, learning not to ask again', async () => {
    const events: TokenEvent[] = [];
    const tokens = createTokenProvider({
      baseUrl: url,
      credentials: clientSecret({ clientId: 'broad-writer', clientSecret: 'broad-writer-secret' }),
      onEvent: (e) => events.push(e),
    });
    const token = await tokens.getToken(appMetadataNeed);
    expect(token.scopes).toEqual(['update:users']);
    const fallback = events.filter((e) => e.type === 'fallback');
    expect(fallback).toEqual([{ type: 'fallback', clientId: 'broad-writer', refused: ['update:users_app_metadata'], next: ['update:users'] }]);
    const refusals = () => em.admin.journal.list({ operation: 'oauth.token', status: 403 }).length;
    const before = refusals();
    expect(before).toBe(1);
    // Expire the cache: the next mint asks for update:users directly.
    await tokens.invalidate(token);
    await tokens.getToken(appMetadataNeed);
    expect(refusals()).toBe(before);
    expect(em.admin.journal.mintsFor('broad-writer')).toBe(2);
  });

  it('falls back once per call: a credential refused every alternative fails with the tenant error', async () => {
    const tokens = createTokenProvider({ baseUrl: url, credentials: clientSecret({ clientId: 'broad-writer', clientSecret: 'broad-writer-secret' }) });
    const err = await tokens.getToken(scopeNeed([['read:users'], ['read:user_idp_tokens']])).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_TOKEN_ENDPOINT', status: 403, error: 'access_denied' });
  });
});
