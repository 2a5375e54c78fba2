// The export's pure decisions: record counting across chunk boundaries, CSV parsing, poll steps, which poll
// failures are transient, field validation and the CLI's field list.
import { describe, expect, it } from 'vitest';
import { createRecordCounter, fieldProblem, isTransient, parseCsv, parseFieldList, pollStep, rowsOf } from '../src/index';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('export decisions', () => {
  it('counts CSV records with quoted line breaks split across chunks, less the header', () => {
    const counter = createRecordCounter('csv');
    for (const part of ['id,note\n1,"line one', '\nline two"\n2,', 'plain\n3,"a ""q"""']) counter.push(bytes(part));
    expect(counter.total()).toBe(3);
    const lines = createRecordCounter('jsonl');
    lines.push(bytes('{"a":1}\n{"a":'));
    lines.push(bytes('2}\n'));
    expect(lines.total()).toBe(2);
  });

  it('parses RFC 4180 CSV into rows keyed by the header', () => {
    expect(parseCsv('a,b\r\n"x, ""y""","multi\nline"\n')).toEqual([['a', 'b'], ['x, "y"', 'multi\nline']]);
    expect(rowsOf('id,plan\nu1,pro\nu2,\n', 'csv')).toEqual([{ id: 'u1', plan: 'pro' }, { id: 'u2', plan: '' }]);
  });

  it('polls until a completed job has a location; a failed job stops', () => {
    expect(pollStep({ id: 'job_1', status: 'pending' })).toEqual({ kind: 'wait' });
    expect(pollStep({ id: 'job_1', status: 'processing', percentage_done: 40 })).toEqual({ kind: 'wait' });
    expect(pollStep({ id: 'job_1', status: 'completed' })).toEqual({ kind: 'wait' });
    expect(pollStep({ id: 'job_1', status: 'completed', location: 'https://x/y.gz' })).toEqual({ kind: 'download', location: 'https://x/y.gz' });
    expect(pollStep({ id: 'job_1', status: 'failed' })).toEqual({ kind: 'failed' });
  });

  it('treats network, timeout, 429 and 5xx as transient; 4xx and scope refusals are not', () => {
    expect([{ code: 'ERR_NETWORK' }, { code: 'ERR_TIMEOUT' }, { code: 'ERR_RATE_LIMITED' }, { code: 'ERR_MANAGEMENT_API', status: 503 }].map(isTransient)).toEqual([true, true, true, true]);
    expect([{ code: 'ERR_MANAGEMENT_API', status: 404 }, { code: 'ERR_INSUFFICIENT_SCOPE', status: 403 }, new Error('x')].map(isTransient)).toEqual([false, false, false]);
  });

  it('knows the exportable fields', () => {
    expect(fieldProblem('user_metadata.country', 'csv')).toBeUndefined();
    expect(fieldProblem('identities[0].connection', 'csv')).toBeUndefined();
    expect(fieldProblem('app_metadata', 'jsonl')).toBeUndefined();
    expect(fieldProblem('app_metadata', 'csv')).toMatch(/cannot hold the whole app_metadata/);
    expect(fieldProblem('nickame', 'csv')).toMatch(/did you mean nickname/);
    expect(parseFieldList(' user_id, user_metadata.country=country ,')).toEqual([{ name: 'user_id' }, { name: 'user_metadata.country', exportAs: 'country' }]);
  });
});
