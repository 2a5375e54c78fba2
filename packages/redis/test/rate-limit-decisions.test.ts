/** The fleet limiter's pure pieces: folding responses into one summary, the script's arguments and reply, the log lines. */
import { describe, expect, it } from 'vitest';
import { hasObservations, noObservations, observe, stepArgs } from '../src/rate-limit-observations';
import { parseStepReply, stepArgv } from '../src/rate-limit-script';
import { logOutage } from '../src/rate-limiter';
import { connect } from './helpers';

const rl = (limit: string, remaining: string, reset = '1700000000') => ({ 'x-ratelimit-limit': limit, 'x-ratelimit-remaining': remaining, 'x-ratelimit-reset': reset });

describe('observe', () => {
  it('keeps the newest request’s word and counts every accepted response', () => {
    const o = noObservations();
    expect(hasObservations(o)).toBe(false);
    observe(o, 7, 200, rl('20', '5'));
    observe(o, 5, 200, rl('20', '9')); // older: counted, but its remaining is stale
    expect(o).toMatchObject({ seq: 7, limit: 20, remaining: 5, resetSec: 1700000000, accepted: 2, limited: false, unlimited: false });
    observe(o, 9, 429, { ...rl('20', '0'), 'retry-after': '2' });
    expect(o).toMatchObject({ seq: 9, remaining: 0, accepted: 2, limited: true, retryAfterMs: 2000 });
    expect(hasObservations(o)).toBe(true);
  });

  it('ignores garbage, repeated headers and requests sent outside the fleet (number 0)', () => {
    const o = noObservations();
    observe(o, 3, 200, { 'x-ratelimit-limit': 'lots', 'x-ratelimit-remaining': ['1', '2'] });
    expect(o).toMatchObject({ seq: 0, remaining: undefined, limit: undefined, accepted: 1, unlimited: false });
    observe(o, 0, 200, rl('20', '3'));
    expect(o.remaining).toBeUndefined();
    observe(o, 4, 429, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' });
    expect(o).toMatchObject({ limited: true, retryAfterMs: undefined });
  });

  it('notes a success without any rate-limit header (the tenant reports no limit), but not an error without one', () => {
    const o = noObservations();
    observe(o, 1, 500, {});
    expect(o.unlimited).toBe(false);
    observe(o, 2, 200, {});
    expect(o.unlimited).toBe(true);
  });
});

describe('script arguments and reply', () => {
  it('passes what a response did not say as empty strings', () => {
    const argv = stepArgv(stepArgs(observe(noObservations(), 4, 200, rl('20', '3')), 5, 100, 600_000));
    expect(argv).toEqual(['5', '100', '600000', '4', '20', '3', '1700000000', '1', '0', '', '0', '']);
    expect(stepArgv(stepArgs(noObservations(), 0, 100, 1))).toEqual(['0', '100', '1', '0', '', '', '', '0', '0', '', '0', '']);
  });

  it('passes how long ago the request carrying the server’s word was sent (the newest one that reported)', () => {
    const o = observe(noObservations(), 4, 200, rl('20', '3'), 1_000);
    observe(o, 2, 200, rl('20', '9'), 900); // older request, reported later: not the one whose word counts
    expect(stepArgs(o, 1, 100, 1, 1_250.4).ageMs).toBe(250);
    expect(stepArgs(o, 1, 100, 1, 900).ageMs).toBe(0); // a clock never runs backwards into a negative age
    expect(stepArgv(stepArgs(o, 1, 100, 1, 1_250))[11]).toBe('250');
  });

  it('reads a reply from either client (numbers or strings) and refuses anything else', () => {
    expect(parseStepReply([[0, 20, '40'], 11, 0, 20000, 20, 1])).toEqual({ waits: [0, 20, 40], firstSeq: 11, retryInMs: 0, intervalMs: 20, limit: 20, measured: true });
    expect(parseStepReply([[], '1', '20', '0', '-1', '0'])).toMatchObject({ waits: [], limit: undefined, measured: false });
    for (const bad of [null, 'OK', [1, 2, 3], [[0], 1, 0, 'x', 1, 0]]) expect(() => parseStepReply(bad)).toThrow(TypeError);
  });
});

describe('logOutage', () => {
  it('logs one warning per outage and one line at recovery, without the advice meant for the token store', () => {
    const lines: string[] = [];
    const logger = { warn: (m: string) => lines.push(`warn ${m}`), info: (m: string) => lines.push(`info ${m}`) };
    logOutage(logger, { type: 'unavailable', message: 'Redis EVAL rate-limit step failed (timeout): no reply within 200 ms. Check that Redis is reachable' });
    logOutage(logger, { type: 'recovered', downForMs: 1234 });
    expect(lines).toEqual([
      'warn [@scopebound/redis] rate limiter: Redis EVAL rate-limit step failed (timeout): no reply within 200 ms. Each process paces on its own until Redis answers again.',
      'info [@scopebound/redis] rate limiter: Redis is back after 1234 ms; the fleet shares one rate limit again.',
    ]);
    expect(() => logOutage({ warn: () => { throw new Error('broken logger'); } }, { type: 'recovered', downForMs: 1 })).not.toThrow();
    logOutage(false, { type: 'recovered', downForMs: 1 }); // silenced
  });
});

describe('redisRateLimiter options', () => {
  it('are validated up front, naming the option', async () => {
    const { redisRateLimiter, RedisRateLimiterOptionError } = await import('../src/index');
    const conn = await connect('ioredis');
    try {
      const bad: [Record<string, unknown>, string][] = [
        [{ client: conn.client, prefix: '' }, 'prefix'],
        [{ client: conn.client, commandTimeoutMs: 0 }, 'commandTimeoutMs'],
        [{ client: conn.client, horizonMs: -1 }, 'horizonMs'],
        [{ client: conn.client, probeMs: Number.NaN }, 'probeMs'],
        [{ client: conn.client, logger: 'console' }, 'logger'],
      ];
      for (const [options, option] of bad) {
        const make = () => redisRateLimiter(options as never);
        expect(make).toThrow(RedisRateLimiterOptionError);
        expect(make).toThrow(new RegExp(`option \`${option}\``));
      }
      expect(() => redisRateLimiter({ client: {} })).toThrow(/not a node-redis or ioredis client/);
      expect(typeof redisRateLimiter({ client: conn.client, logger: false }).pacer).toBe('function');
    } finally {
      await conn.close();
    }
  });
});
