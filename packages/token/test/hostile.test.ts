/**
 * Hostile token endpoints: a huge Retry-After is capped (minting resumes, cached tokens are served meanwhile),
 * and a server echoing the client secret in any encoding, in a header, or a token in its text never gets
 * it into an error, an event or an inspect output.
 */
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { clientSecret, createTokenProvider, TokenRateLimitError, type TokenEvent } from '../src/index';
import { secretForms } from '../src/http/redact';
import { createTokenServer, DOMAIN, fakeJwt, providerTestEnv } from './helpers';
import { renderings } from './renderings';

const server = providerTestEnv();
const SECRET = 'sec+ret/with=special&chars "q" 42';
const ECHOED_TOKEN = fakeJwt({ sub: 'someone', marker: 'ECHOED-TOKEN' });

describe('a huge Retry-After from the token endpoint', () => {
  it('is capped at maxRetryAfterMs (60 s): cached tokens are served meanwhile, minting resumes after the cap', async () => {
    const tenant = createTokenServer({ grants: { app: ['read:users', 'read:roles'] }, narrow: true });
    server.use(tenant.handler);
    const tokens = createTokenProvider({ domain: DOMAIN, credentials: clientSecret({ clientId: 'app', clientSecret: SECRET }), reuse: 'exact' });
    await tokens.getToken(['read:users']);
    tenant.respond(() => HttpResponse.json({ error: 'too_many_requests' }, { status: 429, headers: { 'retry-after': '1000000000' } }));
    const error = (await tokens.getToken(['read:roles']).catch((e: unknown) => e)) as TokenRateLimitError;
    expect(error).toBeInstanceOf(TokenRateLimitError);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
    tenant.respond(undefined);
    vi.advanceTimersByTime(30_000);
    await expect(tokens.getToken(['read:users'])).resolves.toMatchObject({ scopes: ['read:users'] });
    await expect(tokens.getToken(['read:roles'])).rejects.toBeInstanceOf(TokenRateLimitError);
    vi.advanceTimersByTime(30_001);
    await expect(tokens.getToken(['read:roles'])).resolves.toMatchObject({ scopes: ['read:roles'] });
  });
});

describe.each(['post', 'basic'] as const)('a token endpoint echoing client_secret_%s', (method) => {
  it('never gets the secret (raw, form-encoded, JSON-escaped, base64 basic auth) or a token into errors or events', async () => {
    const tenant = createTokenServer({ grants: { app: ['read:users'] } });
    server.use(tenant.handler);
    tenant.respond((call) => {
      const echo = `${call.form.toString()} ${call.headers.get('authorization') ?? ''} ${JSON.stringify(SECRET)} ${ECHOED_TOKEN}`;
      return HttpResponse.json(
        { error: 'invalid_request', error_description: `bad request: ${echo}` },
        { status: 400, headers: { 'x-echo': echo, 'x-ratelimit-limit': `10 ${SECRET}`, 'www-authenticate': `Basic ${echo}` } },
      );
    });
    const events: TokenEvent[] = [];
    const tokens = createTokenProvider({
      domain: DOMAIN,
      credentials: clientSecret({ clientId: 'app', clientSecret: SECRET, authMethod: `client_secret_${method}` }),
      onEvent: (e) => events.push(e),
    });
    const error = await tokens.getToken(['read:users']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const text = renderings(error) + renderings(events) + events.map((e) => renderings((e as { error?: unknown }).error)).join('\n');
    for (const form of [...secretForms(SECRET, 'app'), 'ECHOED-TOKEN', ECHOED_TOKEN]) expect(text).not.toContain(form);
    expect(Object.keys((error as { headers: Record<string, string> }).headers)).not.toContain('x-echo');
  });
});
