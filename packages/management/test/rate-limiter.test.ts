/**
 * The `rateLimiter` seam: the client builds its pacer through it once (with its clock, sleep and tenant), every
 * call goes through that pacer, and `localRateLimiter()` is the default in-process pacer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createManagementClient, InvalidOptionError, localRateLimiter, type Pacer, type RateLimiter, type RateLimiterContext } from '../src/index';
import { resolveSettings } from '../src/adapter/index';
import { fakeTokens } from './helpers';
import { startLoopback } from './loopback';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await (closers.pop() as () => Promise<void>)();
});

/** A limiter whose pacer holds every call (always active) and records what the call loop did with it. */
function recordingLimiter() {
  const contexts: RateLimiterContext[] = [];
  const calls: string[] = [];
  const limiter: RateLimiter = {
    pacer(context) {
      contexts.push(context);
      const inner = localRateLimiter().pacer(context);
      const pacer: Pacer = {
        ...inner,
        active: true,
        send: () => {
          calls.push('send');
          return (pacer.seq = inner.send());
        },
        acquire: (budgetMs, signal, front, expired) => {
          calls.push(`acquire:${front ? 'front' : 'back'}`);
          return inner.acquire(budgetMs, signal, front, expired);
        },
        observe: (seq, status, headers) => {
          calls.push(`observe:${seq}:${status}:${String(headers['x-ratelimit-remaining'])}`);
          inner.observe(seq, status, headers);
        },
      };
      return pacer;
    },
  };
  return { limiter, contexts, calls };
}

describe('rateLimiter', () => {
  it('builds one pacer per client with its tenant, and every call takes a slot before it is sent', async () => {
    const server = await startLoopback();
    closers.push(server.close);
    server.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '7', 'x-ratelimit-reset': '1' });
      res.end('{"user_id":"auth0|1"}');
    });
    const { limiter, contexts, calls } = recordingLimiter();
    const mgmt = createManagementClient({ baseUrl: `${server.baseUrl}/tenant-a`, tokens: fakeTokens(), rateLimiter: limiter });
    closers.push(() => mgmt.close());
    await mgmt.users.get({ id: 'auth0|1' });
    await mgmt.withScopes(['read:users']).users.get({ id: 'auth0|1' });
    expect(contexts).toHaveLength(1); // views share their client's pacer
    expect(contexts[0]?.tenant).toBe(`${server.baseUrl}/tenant-a`);
    expect(contexts[0]?.enabled).toBe(true);
    expect(calls).toEqual(['acquire:back', 'send', 'observe:1:200:7', 'acquire:back', 'send', 'observe:2:200:7']);
  });

  it('tells the limiter when pacing is off (retry.pace: false)', () => {
    const { limiter, contexts } = recordingLimiter();
    createManagementClient({ domain: 'example.eu.auth0.com', tokens: fakeTokens(), rateLimiter: limiter, retry: { pace: false } });
    expect(contexts[0]).toMatchObject({ enabled: false, tenant: 'https://example.eu.auth0.com' });
  });

  it('refuses something that is not a limiter, naming the option', () => {
    for (const bad of [{}, 42, { pacer: 'x' }, null]) {
      const make = () => createManagementClient({ domain: 'example.eu.auth0.com', tokens: fakeTokens(), rateLimiter: bad as never });
      expect(make).toThrow(InvalidOptionError);
      expect(make).toThrow(/rateLimiter/);
    }
  });

  it('reaches clients the adapters build: one pacer per tenant client, each with its tenant', async () => {
    const server = await startLoopback();
    closers.push(server.close);
    const { limiter, contexts, calls } = recordingLimiter();
    const tokens = fakeTokens();
    const { source } = resolveSettings<{ tenant: string }>({
      rateLimiter: limiter,
      tenant: (req) => ({ baseUrl: `${server.baseUrl}/${req.tenant}`, tokens, key: req.tenant }),
    });
    closers.push(() => source.close());
    for (const tenant of ['acme', 'globex', 'acme']) await (await source.resolve({ tenant })).users.get({ id: 'auth0|1' });
    expect(contexts.map((c) => c.tenant)).toEqual([`${server.baseUrl}/acme`, `${server.baseUrl}/globex`]);
    expect(calls.filter((c) => c === 'send')).toHaveLength(3);
  });

  it('closing the client closes its pacer (and waits for it)', async () => {
    let closed = 0;
    const limiter: RateLimiter = {
      pacer: (context) => ({
        ...localRateLimiter().pacer(context),
        close: async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          closed += 1;
        },
      }),
    };
    const mgmt = createManagementClient({ domain: 'example.eu.auth0.com', tokens: fakeTokens(), rateLimiter: limiter });
    await mgmt.close();
    await mgmt.close();
    expect(closed).toBe(1);
  });

  it('localRateLimiter() is the default pacer: open until the headers say the bucket runs low', () => {
    const pacer = localRateLimiter().pacer({ clock: Date.now, sleep: async () => {}, enabled: true, tenant: 'https://t.example.com' });
    expect(pacer.active).toBe(false);
    const seq = pacer.send();
    pacer.observe(seq, 200, { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) });
    expect(pacer.active).toBe(true);
    expect(pacer.state().limit).toBe(10);
  });
});
