import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyOverlay, buildTable } from '../lib/build-table';
import { responseKindOf } from '../lib/response-kind';

const here = resolve(import.meta.dirname);
const fixture = () => JSON.parse(readFileSync(join(here, 'fixtures', 'mini.json'), 'utf8'));
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

describe('responseKindOf', () => {
  const doc = {
    components: { schemas: { Page: { type: 'object', properties: { total: { type: 'number' }, things: { type: 'array' } } } } },
  };

  it('reads an array, an array-or-envelope oneOf as an array, and an envelope-only object as an envelope', () => {
    expect(responseKindOf(doc, { responses: { '200': json({ type: 'array' }) } })).toBe('array');
    expect(responseKindOf(doc, { responses: { '200': json({ oneOf: [{ type: 'array' }, { $ref: '#/components/schemas/Page' }] }) } })).toBe('array');
    expect(responseKindOf(doc, { responses: { '200': json({ $ref: '#/components/schemas/Page' }) } })).toBe('envelope');
  });

  it('reads a settings object (arrays but no page fields) as an object and a body-less success as empty', () => {
    expect(responseKindOf(doc, { responses: { '200': json({ type: 'object', properties: { shields: { type: 'array' } } }) } })).toBe('object');
    expect(responseKindOf(doc, { responses: { '204': { description: 'ok' } } })).toBe('empty');
    expect(responseKindOf(doc, { responses: {} })).toBe('empty');
  });

  it('uses the first 2xx response that has a JSON schema', () => {
    expect(responseKindOf(doc, { responses: { '202': { description: 'queued' }, '201': json({ type: 'array' }) } })).toBe('array');
  });
});

describe('the response kind in the table', () => {
  const byName = Object.fromEntries(buildTable(fixture(), {}).operations.map((o) => [o.name, o]));

  it('carries one kind per operation', () => {
    expect(byName['things.list']!.response).toBe('array');
    expect(byName['events.list']!.response).toBe('envelope');
    expect(byName['things.update']!.response).toBe('empty');
    expect(byName['things.activate']!.response).toBe('empty');
  });
});

describe('overlay parameters', () => {
  it('appends query parameters to an operation of the document', () => {
    const table = buildTable(fixture(), { parameters: { 'GET /things': [{ name: 'type', in: 'query', schema: { type: 'string' } }] } });
    expect(table.operations.find((o) => o.name === 'things.list')!.queryParams).toEqual(['page', 'per_page', 'include_totals', 'type']);
  });

  it('warns about parameters for an operation that does not exist, naming it, and leaves the document alone', () => {
    const doc = fixture();
    expect(applyOverlay(doc, { parameters: { 'GET /nothing': [] } }).paths).toEqual(doc.paths);
    expect(buildTable(doc, { parameters: { 'GET /nothing': [] } }).warnings.join('\n')).toMatch(/overlay parameters names GET \/nothing, which is not an operation/);
  });
});
