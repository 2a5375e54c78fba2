/** Test helpers: a fake token source and an msw-backed fake Auth0 tenant on global fetch. */
import { setupServer } from 'msw/node';
import { isScopeNeed, type AccessToken, type GetTokenOptions, type ScopeNeed, type TokenSource } from '@scopebound/token';

export const DOMAIN = 'tenant.example.com';
export const API = `https://${DOMAIN}/api/v2`;

/** An unsigned JWT-shaped string (the client never verifies tokens; the server would). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.sig`;
}

export interface FakeTokens extends TokenSource {
  /** Per call: the preferred scopes and the alternatives (a ScopeNeed's, or the array form's `anyOf`). */
  readonly calls: { required: string[]; anyOf: (readonly (readonly string[])[]) | undefined }[];
  readonly invalidated: string[];
  readonly issued: string[];
}

/** A TokenSource that grants exactly what is asked and records every call. */
export function fakeTokens(options: { grant?: (required: readonly string[]) => string[] } = {}): FakeTokens {
  const calls: FakeTokens['calls'] = [];
  const invalidated: string[] = [];
  const issued: string[] = [];
  return {
    calls,
    invalidated,
    issued,
    async getToken(need: ScopeNeed | readonly string[], opts?: GetTokenOptions): Promise<AccessToken> {
      const required = isScopeNeed(need) ? need.preferred : need;
      calls.push({ required: [...required], anyOf: isScopeNeed(need) ? need.alternatives : opts?.anyOf });
      const scopes = options.grant ? options.grant(required) : [...required];
      const value = fakeJwt({ jti: `jti-${calls.length}`, aud: `https://${DOMAIN}/api/v2/`, scope: scopes.join(' ') });
      issued.push(value);
      return { value, scopes, expiresAt: 4_102_444_800_000, clientId: 'client-a' };
    },
    async invalidate(token: string | AccessToken): Promise<void> {
      invalidated.push(typeof token === 'string' ? token : token.value);
    },
  };
}

/** One msw server per test file; unhandled requests fail the test. */
export function mswServer() {
  return setupServer();
}

/** Records the delays a client asked for, without waiting (no wall clock in tests). */
export function recordingSleep() {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  return { delays, sleep };
}

/** Route through the (msw-patched) global fetch at call time. */
export const globalFetch = (input: string, init: RequestInit) => globalThis.fetch(input, init);
