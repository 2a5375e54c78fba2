/**
 * Every error class @scopebound/token exports is a ScopeboundError (and, but for the root, a TokenError)
 * whose static `code` is the code of its instances.
 */
import { describe, expect, it } from 'vitest';
import * as token from '../src/index';
import type { TokenErrorCode, TokenEvent, TokenStore } from '../src/index';
import { StoreError } from '../src/errors';

const { ScopeboundError, TokenError } = token;

type ErrorClass = abstract new (...args: never[]) => Error;

/** One instance of each class, built as the package builds it. */
const instances: [ErrorClass, Error][] = [
  [ScopeboundError, new ScopeboundError(ScopeboundError.code, 'the root')],
  // The base class's instances carry their own code; built with its static code here.
  [TokenError, new TokenError(TokenError.code as TokenErrorCode, 'the token root')],
  [token.InvalidOptionError, new token.InvalidOptionError('domain', 'is missing')],
  [token.UnknownScopeError, new token.UnknownScopeError('read:user', ['read:users'])],
  [token.SpecialScopeError, new token.SpecialScopeError('read:current_user')],
  [token.NoCoveringCredentialError, new token.NoCoveringCredentialError([['read:users']], [{ clientId: 'a', grants: 'unknown' }])],
  [token.InsufficientGrantError, new token.InsufficientGrantError('a', ['read:roles'], ['read:users'])],
  [token.TokenEndpointError, new token.TokenEndpointError({ status: 403, headers: {}, error: 'access_denied', clientId: 'a' })],
  [token.TokenRateLimitError, new token.TokenRateLimitError({ headers: {}, clientId: 'a', retryAfterMs: 1_000, quota: [] })],
  [token.InvalidTokenResponseError, new token.InvalidTokenResponseError(200, 'the body is not JSON')],
  [token.TokenNetworkError, new token.TokenNetworkError(new Error('ECONNREFUSED'))],
  [token.TokenTimeoutError, new token.TokenTimeoutError(10_000)],
  [token.CredentialError, new token.CredentialError('a', 'the key is unreadable')],
  [token.AbortedError, new token.AbortedError()],
  [StoreError, new StoreError(new Error('redis://:hunter2@host down'))],
];

describe('error classes', () => {
  it.each(instances.map(([cls, error]) => ({ name: cls.name, cls, error })))('$name: a ScopeboundError whose static code is its code', ({ cls, error }) => {
    expect(error).toBeInstanceOf(cls);
    expect(error).toBeInstanceOf(ScopeboundError);
    expect(error).toBeInstanceOf(Error);
    if (cls !== ScopeboundError) expect(error).toBeInstanceOf(TokenError);
    const code = (error as token.ScopeboundError).code;
    expect((cls as unknown as { code: unknown }).code).toBe(code);
    expect(typeof code).toBe('string');
    expect(error.name).toBe(cls.name);
    expect((error as token.ScopeboundError).toJSON()).toMatchObject({ name: cls.name, code });
  });

  it('the list above covers every error class src/index.ts exports', () => {
    const exported = (Object.values(token) as unknown[]).filter(
      (value): value is ErrorClass => typeof value === 'function' && value.prototype instanceof Error,
    );
    const covered = new Set<unknown>(instances.map(([cls]) => cls));
    expect(exported.filter((cls) => !covered.has(cls)).map((cls) => cls.name)).toEqual([]);
    expect(exported.length).toBeGreaterThanOrEqual(instances.length - 1); // all but the internal StoreError
  });

  it('every code is distinct', () => {
    const codes = instances.map(([, error]) => (error as token.ScopeboundError).code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('StoreError keeps only the kind of the store failure (never its message)', () => {
    const error = new StoreError(new Error('redis://:hunter2@host down'));
    expect(error.code).toBe('ERR_STORE');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('(Error)');
  });
});

describe('errors a provider reports', () => {
  it('a failing store is reported as a StoreError event (code ERR_STORE), never thrown', async () => {
    const down = () => Promise.reject(new Error('ECONNREFUSED redis://:hunter2@10.0.0.1'));
    const store: TokenStore = { get: down, set: down, delete: down };
    const events: TokenEvent[] = [];
    const provider = token.createTokenProvider({
      domain: 'tenant.test.auth0.com',
      credentials: token.signedSecret({ secret: 'a-secret-of-at-least-32-bytes-long!!' }),
      store,
      onEvent: (e) => events.push(e),
    });
    await expect(provider.getToken(['read:users'])).resolves.toBeDefined();
    const errors = events.filter((e): e is Extract<TokenEvent, { type: 'error' }> => e.type === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e).toMatchObject({ stage: 'store', code: 'ERR_STORE' });
      expect(e.error).toBeInstanceOf(StoreError);
      expect(e.error).toBeInstanceOf(ScopeboundError);
      expect(JSON.stringify(e.error)).not.toContain('hunter2');
    }
  });
});
