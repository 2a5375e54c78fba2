import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import {
  createManagementClient,
  ManagementApiError,
  NetworkError,
  RateLimitError,
  type ManagementEvent,
  type ManagementClientOptions,
} from '../src/index';
import { API, DOMAIN, fakeTokens, globalFetch, mswServer, recordingSleep } from './helpers';

const server = mswServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const NOW = 1_700_000_000_000;

function setup(extra: Partial<ManagementClientOptions> = {}) {
  const tokens = fakeTokens();
  const { delays, sleep } = recordingSleep();
  const events: ManagementEvent[] = [];
  const mgmt = createManagementClient({
    domain: DOMAIN,
    tokens,
    fetch: globalFetch,
    sleep,
    clock: () => NOW,
    retry: { jitter: false, minDelayMs: 100, maxDelayMs: 1000 },
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { mgmt, tokens, delays, events };
}

/** Serve `responses` in order (then fail loudly), counting hits. */
function sequence(method: 'get' | 'post' | 'patch', path: string, responses: (() => Response)[]) {
  const hits = { count: 0 };
  server.use(
    http[method](`${API}${path}`, () => {
      const next = responses[hits.count++];
      if (!next) return HttpResponse.json({ statusCode: 500, error: 'unexpected extra request' }, { status: 500 });
      return next();
    }),
  );
  return hits;
}

describe('429', () => {
  it('retries a GET after Retry-After seconds', async () => {
    const { mgmt, delays, events } = setup();
    const hits = sequence('get', '/users/u1', [
      () => HttpResponse.json({ statusCode: 429, error: 'Too Many Requests', message: 'Global limit has been reached' }, { status: 429, headers: { 'retry-after': '2' } }),
      () => HttpResponse.json({ user_id: 'u1' }),
    ]);
    await expect(mgmt.users.get({ id: 'u1' })).resolves.toEqual({ user_id: 'u1' });
    expect(hits.count).toBe(2);
    expect(delays).toEqual([2000]);
    expect(events.filter((e) => e.type === 'retry')).toEqual([
      expect.objectContaining({ reason: 'rate-limit', status: 429, delayMs: 2000, attempt: 1 }),
    ]);
  });

  it('retries a POST too (429 means not processed); without Retry-After the pacer spaces it at the refill rate', async () => {
    const { mgmt, delays, events } = setup();
    const reset = String(Math.floor(NOW / 1000) + 3);
    const hits = sequence('post', '/users', [
      () => HttpResponse.json({ statusCode: 429 }, { status: 429, headers: { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } }),
      () => HttpResponse.json({ user_id: 'new' }, { status: 201 }),
    ]);
    await expect(mgmt.users.create({ connection: 'db', email: 'a@b.c' })).resolves.toEqual({ user_id: 'new' });
    expect(hits.count).toBe(2);
    // x-ratelimit-reset (when the bucket is full) bounds the refill rate from below: ≥ 10 tokens in 3 s; until
    // it is measured the pacer assumes at least a full bucket per 2 s, so one token is back after 200 ms, not
    // after the 3 s the whole bucket needs.
    expect(delays).toEqual([200]);
    expect(events.filter((e) => e.type === 'retry')).toEqual([expect.objectContaining({ reason: 'rate-limit', delayMs: 0 })]);
    expect(events.filter((e) => e.type === 'pace')).toEqual([expect.objectContaining({ delayMs: 200 })]);
  });

  it('with pace: false, waits for x-ratelimit-reset (spread over that window when jitter is on)', async () => {
    const { mgmt, delays } = setup({ retry: { pace: false, jitter: false } });
    const reset = String(Math.floor(NOW / 1000) + 3);
    sequence('post', '/users', [
      () => HttpResponse.json({ statusCode: 429 }, { status: 429, headers: { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } }),
      () => HttpResponse.json({ user_id: 'new' }, { status: 201 }),
    ]);
    await expect(mgmt.users.create({ connection: 'db', email: 'a@b.c' })).resolves.toEqual({ user_id: 'new' });
    expect(delays).toEqual([Number(reset) * 1000 - NOW]);

    const jittered = setup({ retry: { pace: false, jitter: true } });
    sequence('post', '/users', [
      () => HttpResponse.json({ statusCode: 429 }, { status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } }),
      () => HttpResponse.json({ user_id: 'new' }, { status: 201 }),
    ]);
    await jittered.mgmt.users.create({ connection: 'db', email: 'a@b.c' });
    expect(jittered.delays[0]).toBeGreaterThanOrEqual(1500);
    expect(jittered.delays[0]).toBeLessThanOrEqual(3000);
  });

  it('spreads Retry-After retries over the next quarter of the wait when jitter is on', async () => {
    // The 429s also engage the pacer, whose own waits come on top: only the retry waits are checked here.
    const { mgmt, events } = setup({ retry: { jitter: true } });
    const r429 = () => HttpResponse.json({ statusCode: 429 }, { status: 429, headers: { 'retry-after': '1' } });
    sequence('get', '/users/u1', [r429, r429, r429, () => HttpResponse.json({ user_id: 'u1' })]);
    await mgmt.users.get({ id: 'u1' });
    const retries = events.flatMap((e) => (e.type === 'retry' ? [e.delayMs] : []));
    expect(retries).toHaveLength(3);
    for (const d of retries) {
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(1250);
    }
  });

  it('gives up with RateLimitError (reset time, limit) when the wait exceeds the cap', async () => {
    const { mgmt, delays } = setup({ retry: { maxRetryAfterMs: 5_000 } });
    const hits = sequence('get', '/users/u1', [
      () => HttpResponse.json({ statusCode: 429, error: 'Too Many Requests', message: 'slow down' }, { status: 429, headers: { 'retry-after': '60', 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '0' } }),
    ]);
    const err = (await mgmt.users.get({ id: 'u1' }).catch((e: unknown) => e)) as RateLimitError;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ code: 'ERR_RATE_LIMITED', status: 429, resetAt: NOW + 60_000, limit: 50, remaining: 0 });
    expect(hits.count).toBe(1);
    expect(delays).toEqual([]);
  });

  it('rate-limit retries do not spend the retry budget; the total wait is capped by maxRateLimitWaitMs', async () => {
    // retries: 1, yet five 429s in a row are waited out (1 s each), and a 503 after them still gets its retry.
    const { mgmt, events } = setup({ retry: { retries: 1, jitter: false, minDelayMs: 100, maxRateLimitWaitMs: 10_000, pace: false } });
    const r429 = () => HttpResponse.json({ statusCode: 429 }, { status: 429, headers: { 'retry-after': '1' } });
    const r503 = () => HttpResponse.json({ statusCode: 503 }, { status: 503 });
    const hits = sequence('get', '/users/u1', [r429, r429, r429, r429, r429, r503, () => HttpResponse.json({ user_id: 'u1' })]);
    await expect(mgmt.users.get({ id: 'u1' })).resolves.toEqual({ user_id: 'u1' });
    expect(hits.count).toBe(7);
    expect(events.flatMap((e) => (e.type === 'retry' ? [e.delayMs] : []))).toEqual([1000, 1000, 1000, 1000, 1000, 100]);
    expect(events.filter((e) => e.type === 'retry').map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2, 3, 4, 5, 6]);

    // Past the cap: RateLimitError, after exactly as many waits as fit.
    const capped = setup({ retry: { retries: 3, jitter: false, maxRateLimitWaitMs: 2_500, pace: false } });
    const always = sequence('get', '/users/u2', Array.from({ length: 10 }, () => r429));
    const err = (await capped.mgmt.users.get({ id: 'u2' }).catch((e: unknown) => e)) as RateLimitError;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(always.count).toBe(3);
    expect(capped.delays).toEqual([1000, 1000]);
  });

  it('without any rate-limit header, backs off exponentially and stays bounded by maxRateLimitWaitMs', async () => {
    const { mgmt, delays } = setup({ retry: { pace: false, jitter: false, minDelayMs: 100, maxDelayMs: 1000, maxRateLimitWaitMs: 2_000 } });
    const r429 = () => HttpResponse.json({ statusCode: 429 }, { status: 429 });
    const hits = sequence('get', '/users/u1', Array.from({ length: 20 }, () => r429));
    await expect(mgmt.users.get({ id: 'u1' })).rejects.toBeInstanceOf(RateLimitError);
    expect(delays).toEqual([100, 200, 400, 800]);
    expect(hits.count).toBe(5);
  });

  it('retry: false makes one attempt on a 429', async () => {
    const { mgmt, delays } = setup({ retry: false });
    const hits = sequence('get', '/users/u1', [() => HttpResponse.json({ statusCode: 429 }, { status: 429, headers: { 'retry-after': '1' } })]);
    await expect(mgmt.users.get({ id: 'u1' })).rejects.toBeInstanceOf(RateLimitError);
    expect(hits.count).toBe(1);
    expect(delays).toEqual([]);
  });
});

describe('5xx and network errors', () => {
  it('retries a 503 on GET with exponential backoff', async () => {
    const { mgmt, delays } = setup();
    const r503 = () => HttpResponse.json({ statusCode: 503, error: 'Service Unavailable' }, { status: 503 });
    const hits = sequence('get', '/users/u1', [r503, r503, () => HttpResponse.json({ user_id: 'u1' })]);
    await expect(mgmt.users.get({ id: 'u1' })).resolves.toEqual({ user_id: 'u1' });
    expect(hits.count).toBe(3);
    expect(delays).toEqual([100, 200]);
  });

  it('does not retry a 503 on POST', async () => {
    const { mgmt, delays } = setup();
    const hits = sequence('post', '/users', [
      () => HttpResponse.json({ statusCode: 503, error: 'Service Unavailable', message: 'try later' }, { status: 503 }),
      () => HttpResponse.json({ user_id: 'dup' }, { status: 201 }),
    ]);
    const err = await mgmt.users.create({ connection: 'db' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ManagementApiError);
    expect(err).toMatchObject({ status: 503, method: 'POST', route: '/api/v2/users' });
    expect(hits.count).toBe(1);
    expect(delays).toEqual([]);
  });

  it('does not retry a PATCH on a network error, but retries a GET', async () => {
    const { mgmt } = setup();
    const patchHits = sequence('patch', '/users/u1', [() => HttpResponse.error(), () => HttpResponse.json({})]);
    await expect(mgmt.users.update({ id: 'u1' }, { blocked: true })).rejects.toBeInstanceOf(NetworkError);
    expect(patchHits.count).toBe(1);

    const getHits = sequence('get', '/users/u2', [() => HttpResponse.error(), () => HttpResponse.json({ user_id: 'u2' })]);
    await expect(mgmt.users.get({ id: 'u2' })).resolves.toEqual({ user_id: 'u2' });
    expect(getHits.count).toBe(2);
  });

  it('does not retry other 4xx', async () => {
    const { mgmt } = setup();
    const hits = sequence('get', '/users/u1', [
      () => HttpResponse.json({ statusCode: 404, error: 'Not Found', message: 'The user does not exist.', errorCode: 'inexistent_user' }, { status: 404 }),
    ]);
    await expect(mgmt.users.get({ id: 'u1' })).rejects.toMatchObject({ status: 404, errorCode: 'inexistent_user' });
    expect(hits.count).toBe(1);
  });

  it('retry: false makes one attempt', async () => {
    const { mgmt } = setup({ retry: false });
    const r503 = () => HttpResponse.json({}, { status: 503 });
    const hits = sequence('get', '/users/u1', [r503, r503]);
    await expect(mgmt.users.get({ id: 'u1' })).rejects.toMatchObject({ status: 503 });
    expect(hits.count).toBe(1);
  });
});

describe('401', () => {
  it('invalidates the token and retries once with a fresh one (even on POST)', async () => {
    const { mgmt, tokens, events } = setup();
    const auths: string[] = [];
    let n = 0;
    server.use(
      http.post(`${API}/users`, ({ request }) => {
        auths.push(request.headers.get('authorization') ?? '');
        n++;
        return n === 1
          ? HttpResponse.json({ statusCode: 401, error: 'Unauthorized', message: 'Invalid token' }, { status: 401 })
          : HttpResponse.json({ user_id: 'x' }, { status: 201 });
      }),
    );
    await expect(mgmt.users.create({ connection: 'db' })).resolves.toEqual({ user_id: 'x' });
    expect(tokens.calls).toHaveLength(2);
    expect(tokens.invalidated).toEqual([tokens.issued[0]]);
    expect(auths).toEqual([`Bearer ${tokens.issued[0]}`, `Bearer ${tokens.issued[1]}`]);
    expect(events.filter((e) => e.type === 'reauth')).toHaveLength(1);
  });

  it('a second 401 is an error (no loop)', async () => {
    const { mgmt, tokens } = setup();
    const r401 = () => HttpResponse.json({ statusCode: 401, error: 'Unauthorized', message: 'Invalid token' }, { status: 401 });
    const hits = sequence('get', '/users/u1', [r401, r401, r401]);
    await expect(mgmt.users.get({ id: 'u1' })).rejects.toMatchObject({ status: 401, code: 'ERR_MANAGEMENT_API' });
    expect(hits.count).toBe(2);
    expect(tokens.invalidated).toHaveLength(1);
  });

  it('a user token is never invalidated or re-minted', async () => {
    const { mgmt, tokens } = setup();
    const hits = sequence('get', '/users/u1', [() => HttpResponse.json({ statusCode: 401 }, { status: 401 })]);
    await expect(mgmt.asUser('user-tok').users.get({ id: 'u1' })).rejects.toMatchObject({ status: 401 });
    expect(hits.count).toBe(1);
    expect(tokens.calls).toHaveLength(0);
    expect(tokens.invalidated).toHaveLength(0);
  });
});

describe('proactive pacing', () => {
  it('once x-ratelimit-remaining hits 0, the next call waits for one token to refill instead of collecting a 429', async () => {
    const { mgmt, delays, events } = setup();
    const reset = Math.floor(NOW / 1000) + 2;
    const hits = sequence('get', '/users/u1', [
      () => HttpResponse.json({ user_id: 'u1' }, { headers: { 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) } }),
      () => HttpResponse.json({ user_id: 'u1' }, { headers: { 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '1' } }),
      () => HttpResponse.json({ user_id: 'u1' }),
    ]);
    await mgmt.users.get({ id: 'u1' });
    expect(delays).toEqual([]);
    await mgmt.users.get({ id: 'u1' });
    // 2 tokens refill in 2 s: one is back after 1 s (not the 2 s until the bucket is full).
    expect(delays).toEqual([(reset * 1000 - NOW) / 2]);
    expect(events.filter((e) => e.type === 'pace')).toHaveLength(1);
    // The server said 1 remains: no wait.
    await mgmt.users.get({ id: 'u1' });
    expect(delays).toHaveLength(1);
    expect(hits.count).toBe(3);
  });

  it('can be turned off', async () => {
    const { mgmt, delays } = setup({ retry: { pace: false } });
    const reset = Math.floor(NOW / 1000) + 2;
    sequence('get', '/users/u1', [
      () => HttpResponse.json({}, { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) } }),
      () => HttpResponse.json({}),
    ]);
    await mgmt.users.get({ id: 'u1' });
    await mgmt.users.get({ id: 'u1' });
    expect(delays).toEqual([]);
  });
});
