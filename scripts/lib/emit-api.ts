/**
 * Render `generated/api.ts`: a named type for every operation's parameters, body and result
 * (`UsersListParams`, `UsersUpdateBody`, `UsersGetResult`, `UsersListPage`, `UsersListItem`), short aliases
 * (`User`, `Role`, …), one `OperationShapes` map the client's types index, and one interface per resource
 * namespace (`UsersApi`) whose methods carry a doc comment made of facts and the operation's title only.
 * Pure string building; deterministic.
 */
import type { Operation } from './build-table';
import { resolveRef } from './refs';

type Json = Record<string, any>;

const q = (s: string) => JSON.stringify(s);
const pascal = (name: string) => name.split('.').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');

/** The one doc comment an operation gets: method, path, scopes (narrowest first), pagination, title. */
export function docLines(o: Operation): string[] {
  const rule = o.anyOf.map((a) => a.join(' + ')).join(' | ');
  const lines = [`${o.title ? `${o.title.replace(/\*\//g, '*\\/')} — ` : ''}\`${o.method} /api/v2${o.path}\``];
  lines.push(`Scopes, narrowest first: ${rule || 'none'}${o.rule === 'any' ? '' : ` (${o.rule})`}${o.bodyRules ? ' (by body)' : ''}`);
  if (o.pagination !== 'none') lines.push(`Pagination: ${o.pagination}${o.itemsKey ? ` (items in \`${o.itemsKey}\`)` : ''}; \`.all()\` / \`.pages()\``);
  if (o.deprecated) lines.push('@deprecated');
  return lines;
}

const comment = (lines: string[], indent: string) => `${indent}/**\n${lines.map((l) => `${indent} * ${l}`).join('\n')}\n${indent} */`;

/** The TypeScript type of a schema node when it is a component reference or an array of one, else undefined. */
function schemaType(node: Json | undefined): string | undefined {
  const ref = node?.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) return `components["schemas"][${q(ref.slice(21))}]`;
  if (node?.type === 'array') {
    const item = schemaType(node.items);
    return item ? `${item}[]` : undefined;
  }
  return undefined;
}

interface Shape {
  params?: string;
  body?: string;
  result: string;
  page?: string;
  item?: string;
  response?: string;
}

/** The named types of one operation, as source text, plus what its `OperationShapes` entry says. */
function operationTypes(doc: Json, o: Operation, out: string[]): Shape {
  const base = pascal(o.name);
  const at = `paths[${q(o.path)}][${q(o.method.toLowerCase())}]`;
  const op = doc.paths?.[o.path]?.[o.method.toLowerCase()] ?? {};
  const declaredPath = new Set(
    [...(doc.paths?.[o.path]?.parameters ?? []), ...(op.parameters ?? [])]
      .map((p: Json) => resolveRef(doc, p))
      .filter((p: Json) => p?.in === 'path')
      .map((p: Json) => String(p.name)),
  );
  const shape: Shape = { result: `${base}Result` };
  const parts: string[] = [];
  if (o.pathParams.length > 0) {
    const undeclared = o.pathParams.filter((p) => !declaredPath.has(p));
    if (declaredPath.size > 0) parts.push(`${at}["parameters"]["path"]`);
    if (undeclared.length > 0) parts.push(`{ ${undeclared.map((p) => `${q(p)}: string`).join('; ')} }`);
  }
  if (o.queryParams.length > 0) parts.push(`NonNullable<${at}["parameters"]["query"]>`);
  if (parts.length > 0) {
    shape.params = `${base}Params`;
    out.push(`export type ${base}Params = ${parts.join(' & ')};`);
  }
  const bodyContent = resolveRef(doc, op.requestBody)?.content;
  if (o.body !== 'none' && bodyContent) {
    const key = bodyContent['application/json'] ? 'application/json' : Object.keys(bodyContent).sort()[0]!;
    shape.body = `${base}Body`;
    out.push(`export type ${base}Body = ${schemaType(bodyContent[key].schema) ?? `NonNullable<${at}["requestBody"]>["content"][${q(key)}]`};`);
  }
  const code = ['200', '201', '202'].find((c) => op.responses?.[c]);
  const content = code ? resolveRef(doc, op.responses[code])?.content : undefined;
  const key = content ? (content['application/json'] ? 'application/json' : Object.keys(content).sort()[0]) : undefined;
  const raw = code && key ? (schemaType(content[key].schema) ?? `${at}["responses"][${code}]["content"][${q(key)}]`) : 'undefined';
  const schema = key ? resolveRef(doc, content[key].schema) : undefined;
  const variants: Json[] = schema?.oneOf ?? schema?.anyOf ?? [];
  const arrayVariant = variants.find((v) => resolveRef(doc, v)?.type === 'array');
  const totalsVariant = variants.find((v) => resolveRef(doc, v)?.properties?.start);
  if (o.queryParams.includes('include_totals') && arrayVariant && totalsVariant) {
    // Auth0 answers a bare array unless `include_totals` (or, for checkpoint operations, `from`/`take`) is sent.
    shape.page = `${base}Page`;
    out.push('/** Without `include_totals`: the items. */');
    out.push(`export type ${base}Result = ${schemaType(arrayVariant) ?? `Extract<${raw}, readonly unknown[]>`};`);
    out.push('/** With `include_totals: true`: the items and `start`, `limit`, `total`. */');
    out.push(`export type ${base}Page = ${schemaType(totalsVariant) ?? `Exclude<${raw}, readonly unknown[]>`};`);
    if (o.pagination === 'both') {
      shape.response = `${base}Response`;
      out.push('/** Any answer (checkpoint parameters give `{ next, … }`). */', `export type ${base}Response = ${raw};`);
    }
  } else {
    out.push(`export type ${base}Result = ${raw};`);
  }
  if (o.pagination !== 'none') {
    shape.item = `${base}Item`;
    const from = shape.page ?? shape.result;
    const list = shape.page ? `${base}Result` : o.itemsKey ? `NonNullable<Exclude<${from}, readonly unknown[]>[${q(o.itemsKey)}]>` : `Extract<${from}, readonly unknown[]>`;
    out.push(`export type ${base}Item = ${list}[number];`);
  }
  return shape;
}

interface NsTree {
  ops: Map<string, Operation>;
  children: Map<string, NsTree>;
}

function namespaceTree(ops: readonly Operation[]): NsTree {
  const root: NsTree = { ops: new Map(), children: new Map() };
  for (const o of ops) {
    const segs = o.name.split('.');
    let node = root;
    for (const s of segs.slice(0, -1)) {
      if (!node.children.has(s)) node.children.set(s, { ops: new Map(), children: new Map() });
      node = node.children.get(s)!;
    }
    node.ops.set(segs.at(-1)!, o);
  }
  return root;
}

function renderNamespaces(node: NsTree, prefix: string, out: string[]): void {
  const name = prefix ? `${pascal(prefix)}Api` : 'Namespaces';
  const members: string[] = [];
  for (const key of [...node.children.keys()].sort()) {
    const child = `${prefix ? `${prefix}.` : ''}${key}`;
    members.push(`  /** \`${child}.*\` */`, `  readonly ${key}: ${pascal(child)}Api;`);
  }
  for (const key of [...node.ops.keys()].sort()) {
    const o = node.ops.get(key)!;
    members.push(comment(docLines(o), '  '), `  readonly ${key}: OperationMethod<${q(o.name)}>;`);
  }
  out.push(
    prefix ? `/** The \`${prefix}\` namespace of the client. */` : '/** Every resource namespace of the Management API (`users`, `organizations.members`, …). */',
    `export interface ${name} {`,
    ...members,
    '}',
  );
  for (const key of [...node.children.keys()].sort()) renderNamespaces(node.children.get(key)!, `${prefix ? `${prefix}.` : ''}${key}`, out);
}

/** @param aliases short name → operation name whose result it names (`User` → `users.get`). */
export function renderApi(doc: Json, ops: readonly Operation[], aliases: Record<string, string>, header: string, warn: (m: string) => void): string {
  const out: string[] = [header, "import type { OperationMethod } from '../types';", "import type { components, paths } from './schema';", ''];
  const shapes: string[] = [];
  for (const o of ops) {
    const s = operationTypes(doc, o, out);
    // Absent fields mean none: no params, no body, body optional (see types.ts).
    const fields = [...(s.params ? [`params: ${s.params}`] : []), ...(s.body ? [`body: ${s.body}`] : []), `result: ${s.result}`];
    if (s.page) fields.push(`page: ${s.page}`);
    if (s.item) fields.push(`item: ${s.item}`);
    if (s.response) fields.push(`response: ${s.response}`);
    const scopes = [...new Set([...o.anyOf.flat(), ...(o.bodyRules ?? []).flatMap((r) => r.anyOf.flat())])];
    fields.push(`scopes: ${scopes.length ? scopes.map(q).join(' | ') : 'never'}`);
    if (o.body === 'required') fields.push('bodyRequired: true');
    shapes.push(`  ${q(o.name)}: { ${fields.join('; ')} };`);
  }
  out.push('', '/** Short names for the common resources. */');
  for (const [alias, name] of Object.entries(aliases).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!ops.some((o) => o.name === name)) {
      warn(`overlay typeAliases ${alias}: ${name} is not an operation`);
      continue;
    }
    out.push(`/** What \`${name}\` resolves to. */`, `export type ${alias} = ${pascal(name)}Result;`);
  }
  out.push('', '/** Operation name → its named types (what the client\'s method types are built from). */', 'export interface OperationShapes {', ...shapes, '}', '');
  renderNamespaces(namespaceTree(ops), '', out);
  out.push('');
  return out.join('\n');
}
