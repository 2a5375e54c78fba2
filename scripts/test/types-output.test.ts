/**
 * The generated types: the slimmed document openapi-typescript sees (types-document.ts), the schema text
 * (schema-types.ts) and the named types, shapes and namespace interfaces (emit-api.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTable } from '../lib/build-table';
import { docLines, renderApi } from '../lib/emit-api';
import { stripProse } from '../lib/load';
import { renderSchemaTypes } from '../lib/schema-types';
import { dropDefaults, reachableSchemas, typesDocument } from '../lib/types-document';
import { decodeRows } from './rows';

const here = resolve(import.meta.dirname);
const fixture = () => JSON.parse(readFileSync(join(here, 'fixtures', 'mini.json'), 'utf8'));

/** The fixture with an unused schema, an open body, a sample `default` and a property named `default`. */
function richer() {
  const doc = fixture();
  doc.components.schemas.Unused = { type: 'object', properties: { x: { type: 'string' } } };
  doc.components.schemas.ThingPatch = {
    type: 'object',
    additionalProperties: true,
    properties: { name: { type: 'string', default: 'sample value' }, default: { type: 'boolean' } },
  };
  doc.paths['/things/{id}'].patch.requestBody.content['application/json'].schema = { $ref: '#/components/schemas/ThingPatch' };
  doc.paths['/things/{id}'].patch.requestBody.content['application/x-www-form-urlencoded'] = { schema: { $ref: '#/components/schemas/ThingPatch' } };
  return doc;
}

describe('typesDocument', () => {
  it('keeps success responses, JSON content and the schemas the operations reach', () => {
    const { doc } = typesDocument(richer());
    expect(Object.keys(doc.paths['/things'].get.responses)).toEqual(['200']);
    expect(Object.keys(doc.paths['/things/{id}'].patch.requestBody.content)).toEqual(['application/json']);
    expect(Object.keys(doc.components.schemas).sort()).toEqual(['Thing', 'ThingList', 'ThingPatch']);
    expect(reachableSchemas(richer(), [richer().paths['/things']])).toEqual(new Set(['Thing', 'ThingList']));
  });

  it('closes the bodies the overlay names, and only those; warns about names that are not operations', () => {
    const open = typesDocument(richer());
    expect(open.doc.components.schemas.ThingPatch.additionalProperties).toBe(true);
    const closed = typesDocument(richer(), ['PATCH /things/{id}', 'PATCH /nowhere']);
    expect(closed.doc.components.schemas.ThingPatch.additionalProperties).toBe(false);
    expect(closed.warnings).toEqual(['overlay closedBodies PATCH /nowhere, which is not an operation']);
  });

  it('drops `default` values but keeps a property named default', () => {
    const schema = dropDefaults(richer().components.schemas.ThingPatch);
    expect(schema.properties.name).toEqual({ type: 'string' });
    expect(schema.properties.default).toEqual({ type: 'boolean' });
  });
});

describe('renderSchemaTypes', () => {
  it('optional properties accept undefined; absent-only members and open headers are gone; closed bodies have no index signature', async () => {
    const text = await renderSchemaTypes(typesDocument(stripProse(richer()), ['PATCH /things/{id}']).doc);
    expect(text).toMatch(/ThingPatch: \{\n\s+default\?: boolean \| undefined;\n\s+name\?: string \| undefined;\n\s+\};/);
    expect(text).not.toMatch(/\?: never/);
    expect(text).not.toMatch(/headers: \{/);
    expect(text).not.toMatch(/sample value|upstream prose/);
    expect(text).toMatch(/^ {2}"\/things": \{$/m); // two-space indentation
  });
});

describe('renderApi', () => {
  const doc = typesDocument(fixture()).doc;
  const table = buildTable(fixture(), {});
  const warnings: string[] = [];
  const api = renderApi(doc, table.operations, { Thing: 'things.update', Nope: 'no.such' }, '// header', (w) => warnings.push(w));

  it('names every operation\'s params, body and result; splits offset lists by include_totals', () => {
    expect(api).toContain('export type ThingsListParams = NonNullable<paths["/things"]["get"]["parameters"]["query"]>;');
    expect(api).toContain('export type ThingsListResult = components["schemas"]["Thing"][];');
    expect(api).toContain('export type ThingsListPage = components["schemas"]["ThingList"];');
    expect(api).toContain('export type ThingsListItem = ThingsListResult[number];');
    expect(api).toContain('export type ThingsUpdateBody = components["schemas"]["Thing"];');
    expect(api).toContain('export type EventsListItem = NonNullable<Exclude<EventsListResult, readonly unknown[]>["events"]>[number];');
    expect(api).toContain('"things.update": { params: ThingsUpdateParams; body: ThingsUpdateBody; result: ThingsUpdateResult; scopes: "read:things" | "update:things"; bodyRequired: true };');
  });

  it('short aliases, checked against the table', () => {
    expect(api).toContain('export type Thing = ThingsUpdateResult;');
    expect(warnings).toEqual(['overlay typeAliases Nope: no.such is not an operation']);
  });

  it('one interface per namespace; each method documented with facts and the title only', () => {
    expect(api).toMatch(/export interface Namespaces \{[^}]*readonly things: ThingsApi;/);
    const list = table.operations.find((o) => o.name === 'things.list')!;
    expect(docLines(list)).toEqual([
      'List things — `GET /api/v2/things`',
      'Scopes, narrowest first: read:thing_summary | read:things',
      'Pagination: offset (items in `things`); `.all()` / `.pages()`',
    ]);
    expect(api).toContain('   * List things — `GET /api/v2/things`\n');
    expect(api).not.toMatch(/upstream/);
  });
});

const pinned = resolve(here, '..', '..', 'packages', 'management', 'src', 'generated');
describe.skipIf(!existsSync(join(pinned, 'api.ts')))('the committed output', () => {
  const api = readFileSync(join(pinned, 'api.ts'), 'utf8');
  const tables = join(pinned, 'tables');
  const ops = readdirSync(tables).map((f) => readFileSync(join(tables, f), 'utf8')).join('\n');
  it('every method carries a doc comment with its route and scopes', () => {
    const methods = [...api.matchAll(/\*\/\n {2}readonly \w+: OperationMethod<"([^"]+)">;/g)].map((m) => m[1]);
    expect(methods).toHaveLength(457);
    expect(api).toMatch(/List or Search Users — `GET \/api\/v2\/users`\n\s+\* Scopes, narrowest first: read:users \| read:user_idp_tokens/);
  });
  it('titles are in the table; descriptions are not', () => {
    expect(decodeRows(ops).find((o) => o.name === 'users.list')?.title).toBe('List or Search Users');
    expect(ops + api).not.toMatch(/Retrieve details of users|Users successfully retrieved/);
  });
});
