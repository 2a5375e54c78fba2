import { describe, expect, it } from 'vitest';
import {
  callHash, decideFailure, etaMs, foldJournal, importJobSuggestion, nextConcurrency, parseLine, progressBar, progressLine, resumeAction,
  type JournalEntry,
} from '../src/index';

const call = { operation: 'users.update', params: { id: 'auth0|1' }, body: { app_metadata: { plan: 'pro' } } };
const h = callHash(call);

describe('resumeAction: what a resumed run does with one call', () => {
  const records = foldJournal([
    { t: 'run', v: 1, at: 'x' },
    { t: 'send', n: 1, h, op: 'users.update' },
    { t: 'ok', n: 1 },
    { t: 'send', n: 2, h, op: 'users.update' },
    { t: 'fail', n: 2, code: 'ERR_MANAGEMENT_API', status: 404, message: 'not found' },
    { t: 'send', n: 3, h, op: 'users.update' },
    { t: 'send', n: 4, h: 'other', op: 'users.update' },
  ] satisfies JournalEntry[]);
  it.each([
    [1, false, false, 'skip-done'],
    [2, false, false, 'skip-failed'],
    [3, false, false, 'check'],
    [3, true, false, 'resend'],
    [3, false, true, 'resend'],
    [4, true, false, 'mismatch'],
    [5, false, false, 'send'],
  ] as const)('call %i (idempotent %s, resendInFlight %s) → %s', (n, idempotent, resend, action) => {
    expect(resumeAction(records.get(n), h, idempotent, resend)).toBe(action);
  });
  it('keeps the failure of a failed call', () => {
    expect(records.get(2)?.failure).toEqual({ code: 'ERR_MANAGEMENT_API', status: 404, message: 'not found' });
  });
  it('fingerprints calls independently of key order and line', () => {
    expect(callHash({ body: call.body, params: call.params, operation: call.operation, line: 9 })).toBe(h);
    expect(callHash({ ...call, body: { app_metadata: { plan: 'free' } } })).not.toBe(h);
  });
});

describe('decideFailure', () => {
  const base = { idempotent: false, attempt: 1, maxAttempts: 5, now: 1_000 };
  it('retries a rate limit after the reset, on any method', () => {
    expect(decideFailure({ ...base, error: { code: 'ERR_RATE_LIMITED', status: 429, resetAt: 3_000, message: 'x' } })).toEqual({ kind: 'retry', delayMs: 2_000 });
  });
  it('reports a non-idempotent 5xx as maybe applied, retries an idempotent one', () => {
    expect(decideFailure({ ...base, error: { code: 'ERR_MANAGEMENT_API', status: 503, message: 'down' } })).toMatchObject({ kind: 'fail', ambiguous: true, status: 503 });
    expect(decideFailure({ ...base, idempotent: true, error: { code: 'ERR_NETWORK', message: 'x' } })).toMatchObject({ kind: 'retry' });
    expect(decideFailure({ ...base, idempotent: true, attempt: 5, error: { code: 'ERR_NETWORK', message: 'x' } })).toMatchObject({ kind: 'fail', code: 'ERR_NETWORK' });
  });
  it('treats the runner\'s per-call deadline like a timeout', () => {
    expect(decideFailure({ ...base, error: { code: 'ERR_BULK_CALL_DEADLINE', message: 'x' } })).toMatchObject({ kind: 'fail', ambiguous: true });
  });
  it('reports 4xx at once', () => {
    expect(decideFailure({ ...base, idempotent: true, error: { code: 'ERR_MANAGEMENT_API', status: 404, message: 'Not found\nmore' } })).toEqual({ kind: 'fail', code: 'ERR_MANAGEMENT_API', status: 404, message: 'Not found' });
  });
});

describe('nextConcurrency', () => {
  const state = { current: 8, min: 2, max: 64 };
  it('grows while throughput keeps up with concurrency', () => {
    expect(nextConcurrency(state, { throughput: 4000, minLatencyMs: 2 }).current).toBe(10);
  });
  it('settles near rate × latency once the rate limit caps throughput', () => {
    expect(nextConcurrency(state, { throughput: 200, minLatencyMs: 5 }).current).toBe(4);
  });
  it('stays within bounds and ignores empty windows', () => {
    expect(nextConcurrency({ ...state, current: 64 }, { throughput: 1e6, minLatencyMs: 5 }).current).toBe(64);
    expect(nextConcurrency(state, { throughput: 0, minLatencyMs: 5 })).toBe(state);
  });
});

describe('parseLine', () => {
  it.each([
    ['{"operation":"users.update"', /not JSON/],
    ['[1]', /expected a JSON object/],
    ['{"operation":"users.updat","params":{"id":"x"}}', /unknown operation "users.updat"/],
    ['{"operation":"users.update","params":{}}', /needs the path parameter "id"/],
    ['{"operation":"users.update","params":{"id":"x","bogus":1}}', /has no parameter "bogus"/],
    ['{"operation":"users.get","params":{"id":"x"},"body":{}}', /takes no body/],
    ['{"operation":"users.update","params":{"id":"x"},"extra":1}', /unknown key\(s\) "extra"/],
  ])('%s', (text, problem) => {
    expect(parseLine(text, 7)).toEqual({ line: 7, problem: expect.stringMatching(problem) });
  });
  it('skips blank lines and keeps the line number of a call', () => {
    expect(parseLine('   ', 1)).toBeUndefined();
    expect(parseLine(JSON.stringify(call), 3)).toEqual({ line: 3, call: { ...call, line: 3 } });
  });
});

describe('importJobSuggestion and progress', () => {
  it('suggests the users-import job only for many metadata updates of database users', () => {
    expect(importJobSuggestion({ calls: 5000, metadataUpdates: 5000, databaseUsers: 5000 })).toMatch(/users-imports.*upsert=true/s);
    expect(importJobSuggestion({ calls: 5000, metadataUpdates: 4999, databaseUsers: 4999 })).toBeUndefined();
    expect(importJobSuggestion({ calls: 10, metadataUpdates: 10, databaseUsers: 10 })).toBeUndefined();
  });
  it('renders done / failed / rate / ETA from the learned rate', () => {
    const p = { total: 1000, done: 400, failed: 100, toCheck: 0, inFlight: 3, concurrency: 4, rate: 50, elapsedMs: 1 };
    expect(etaMs(p)).toBe(10_000);
    expect(progressLine(p)).toBe('bulk: 400/1000 done, 100 failed, 50/s, ETA 10s, in flight 3 (concurrency 4)');
    expect(progressBar(p, 100)).toMatch(/^\[#{20}\.{20}\] 400\/1000 done/);
  });
});
