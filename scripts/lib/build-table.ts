/** Turn an OpenAPI document (+ overlay) into the operation table the runtime uses. Pure: no I/O. */
import { narrowestFirst } from '../../packages/management/src/scope-breadth';
import { resolveRef } from './refs';
import { responseKindOf, type ResponseKind } from './response-kind';
import { camel, nameFromExtensions, nameFromPath, resolveNameClashes } from './naming';
import { insufficientScopeText, parseScopeRule, type ScopeRuleKind } from './scope-rules';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type PaginationKind = 'offset' | 'checkpoint' | 'both' | 'none';

export interface BodyRule {
  when: { onlyKeys: string[] } | 'otherwise';
  anyOf: string[][];
}

export interface Operation {
  id: string;
  method: HttpMethod;
  path: string;
  name: string;
  /** The operation's short title (the document's `summary`; never its description). */
  title?: string;
  scopes: string[];
  rule: ScopeRuleKind;
  anyOf: string[][];
  bodyRules?: BodyRule[];
  pagination: PaginationKind;
  itemsKey?: string;
  /** The success response's shape (see response-kind.ts). */
  response: ResponseKind;
  pathParams: string[];
  queryParams: string[];
  body: 'none' | 'optional' | 'required';
  idempotent: boolean;
  deprecated: boolean;
  source: 'document' | 'overlay';
}

export interface Overlay {
  scopeRules?: Record<string, { rule: ScopeRuleKind; anyOf: string[][]; why?: string }>;
  bodyRules?: Record<string, ({ when?: { onlyKeys: string[] }; otherwise?: boolean; anyOf: string[][] })[]>;
  names?: Record<string, string>;
  pagination?: Record<string, { kind: PaginationKind; itemsKey?: string }>;
  paths?: Record<string, Record<string, unknown>>;
  /** Parameters appended to an operation ("METHOD /path" → OpenAPI parameter objects). */
  parameters?: Record<string, unknown[]>;
  components?: { schemas?: Record<string, unknown> };
  scopes?: Record<string, string>;
  specialScopes?: string[];
  privilegedScopes?: string[];
  /** Short type names for common resources: alias → operation whose result it names (`User: users.get`). */
  typeAliases?: Record<string, string>;
  /** "METHOD /path" of request bodies Auth0 validates strictly although the document declares them open. */
  closedBodies?: string[];
}

export interface Table {
  operations: Operation[];
  scopes: string[];
  specialScopes: string[];
  privilegedScopes: string[];
  warnings: string[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const KNOWN_OP_KEYS = new Set([
  'summary', 'description', 'tags', 'parameters', 'requestBody', 'responses', 'operationId', 'security',
  'deprecated', 'servers', 'callbacks', 'externalDocs',
]);
const PAGE_META = new Set(['start', 'limit', 'length', 'total', 'next']);

type Json = Record<string, any>;

/** Merge the overlay's additions into a copy of the document (paths and component schemas). */
export function applyOverlay(doc: Json, overlay: Overlay): Json {
  const merged: Json = { ...doc, paths: { ...(doc.paths ?? {}) }, components: { ...(doc.components ?? {}) } };
  merged.components.schemas = { ...(doc.components?.schemas ?? {}), ...(overlay.components?.schemas ?? {}) };
  for (const [path, item] of Object.entries(overlay.paths ?? {})) {
    merged.paths[path] = { ...(merged.paths[path] ?? {}), ...item };
  }
  for (const [key, params] of Object.entries(overlay.parameters ?? {})) {
    const [method = '', path = ''] = key.split(' ');
    const op = merged.paths[path]?.[method.toLowerCase()];
    if (!op) continue; // buildTable warns about it
    merged.paths[path] = { ...merged.paths[path], [method.toLowerCase()]: { ...op, parameters: [...(op.parameters ?? []), ...params] } };
  }
  return merged;
}

function itemsKeyOf(doc: Json, op: Json): string | undefined {
  const ok = op.responses?.['200'] ?? op.responses?.['201'];
  const schema = resolveRef(doc, ok?.content?.['application/json']?.schema);
  if (!schema) return undefined;
  const variants: any[] = [schema, ...((schema.oneOf ?? schema.anyOf ?? []) as any[])].map((s) => resolveRef(doc, s));
  for (const v of variants) {
    const props = v?.properties;
    if (!props) continue;
    const arrays = Object.entries(props).filter(
      ([k, p]) => !PAGE_META.has(k) && resolveRef(doc, p)?.type === 'array',
    );
    if (arrays.length === 1) return arrays[0]![0];
  }
  return undefined;
}

export function buildTable(input: Json, overlay: Overlay): Table {
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  const doc = applyOverlay(input, overlay);
  const overlayKeys = new Set<string>();
  for (const [path, item] of Object.entries(overlay.paths ?? {})) {
    for (const m of Object.keys(item)) overlayKeys.add(`${m.toUpperCase()} ${path}`);
  }
  if (!doc.paths || typeof doc.paths !== 'object') throw new Error('The document has no `paths` object: is it an OpenAPI document?');

  const draft: (Omit<Operation, 'name'> & { proposed: string; key: string })[] = [];
  for (const path of Object.keys(doc.paths).sort()) {
    const item = doc.paths[path] as Json;
    if (!item || typeof item !== 'object') {
      warn(`${path}: path item is not an object; skipped`);
      continue;
    }
    for (const k of Object.keys(item)) {
      if (!(METHODS as readonly string[]).includes(k) && k !== 'parameters' && !k.startsWith('x-') && k !== 'summary' && k !== 'description' && k !== 'servers') {
        warn(`${path}: unsupported key "${k}" on the path item; not generated`);
      }
    }
    for (const m of METHODS) {
      const op = item[m] as Json | undefined;
      if (!op) continue;
      const method = m.toUpperCase() as HttpMethod;
      const key = `${method} ${path}`;
      for (const k of Object.keys(op)) {
        if (!KNOWN_OP_KEYS.has(k) && !k.startsWith('x-')) warn(`${key}: unknown operation field "${k}" ignored`);
      }
      const params = [...((item.parameters as any[]) ?? []), ...((op.parameters as any[]) ?? [])].map((p) => resolveRef(doc, p));
      const pathParams = params.filter((p) => p?.in === 'path').map((p) => String(p.name));
      const templ = [...path.matchAll(/\{([^}]+)\}/g)].map((x) => x[1]!);
      for (const t of templ) if (!pathParams.includes(t)) { pathParams.push(t); warn(`${key}: path parameter {${t}} is not declared; assumed a string`); }
      const queryParams = [...new Set(params.filter((p) => p?.in === 'query').map((p) => String(p.name)))];

      let scopes: string[] = [];
      const security = Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : [];
      for (const req of security as Json[]) {
        for (const [scheme, list] of Object.entries(req ?? {})) {
          if (Array.isArray(list) && list.length > 0) scopes.push(...list.map(String));
          else if (scheme !== 'bearerAuth' && !Array.isArray(list)) warn(`${key}: security scheme ${scheme} has no scope list`);
        }
      }
      scopes = [...new Set(scopes)];
      if (scopes.length === 0) warn(`${key}: no scopes in security; generated with no scope requirement (add one in the overlay)`);

      const override = overlay.scopeRules?.[key];
      let rule: ScopeRuleKind;
      let anyOf: string[][];
      if (override) {
        rule = override.rule;
        anyOf = override.anyOf.map((a) => [...a]);
      } else {
        const parsed = parseScopeRule(scopes, insufficientScopeText(op.responses?.['403']));
        for (const w of parsed.warnings) warn(`${key}: ${w}`);
        rule = parsed.rule;
        anyOf = parsed.anyOf;
      }

      let bodyRules: BodyRule[] | undefined;
      const br = overlay.bodyRules?.[key];
      if (br) {
        bodyRules = br.map((r) => ({ when: r.when ? { onlyKeys: [...r.when.onlyKeys] } : 'otherwise', anyOf: r.anyOf.map((a) => [...a]) }));
      }

      const hasPaging = queryParams.includes('page') || queryParams.includes('per_page');
      const hasCheckpoint = queryParams.includes('take') || (queryParams.includes('from') && !hasPaging);
      let pagination: PaginationKind = hasPaging && hasCheckpoint ? 'both' : hasPaging ? 'offset' : hasCheckpoint ? 'checkpoint' : 'none';
      let itemsKey = pagination === 'none' ? undefined : itemsKeyOf(doc, op);
      const hint = overlay.pagination?.[key];
      if (hint) {
        pagination = hint.kind;
        if (hint.itemsKey) itemsKey = hint.itemsKey;
      }

      const rb = resolveRef(doc, op.requestBody);
      const body: Operation['body'] = rb ? (rb.required ? 'required' : 'optional') : 'none';

      const proposed =
        overlay.names?.[key] ?? nameFromExtensions(op['x-operation-group'], op['x-operation-name']) ?? nameFromPath(method, path);
      const id = typeof op.operationId === 'string' && op.operationId ? op.operationId : camel(`${m} ${path}`);
      const title = typeof op.summary === 'string' ? op.summary.replace(/\s+/g, ' ').trim() : '';
      draft.push({
        key,
        proposed,
        id,
        ...(title ? { title } : {}),
        method,
        path,
        scopes,
        rule,
        anyOf,
        ...(bodyRules ? { bodyRules } : {}),
        pagination,
        ...(itemsKey ? { itemsKey } : {}),
        response: responseKindOf(doc, op),
        pathParams,
        queryParams,
        body,
        idempotent: method !== 'POST' && method !== 'PATCH',
        deprecated: op.deprecated === true,
        source: overlayKeys.has(key) ? 'overlay' : 'document',
      });
    }
  }
  for (const key of Object.keys(overlay.names ?? {})) if (!draft.some((d) => d.key === key)) warn(`overlay names ${key}, which is not an operation`);
  for (const key of Object.keys(overlay.scopeRules ?? {})) if (!draft.some((d) => d.key === key)) warn(`overlay scopeRules ${key}, which is not an operation`);
  for (const key of Object.keys(overlay.parameters ?? {})) if (!draft.some((d) => d.key === key)) warn(`overlay parameters names ${key}, which is not an operation`);
  for (const key of Object.keys(overlay.bodyRules ?? {})) if (!draft.some((d) => d.key === key)) warn(`overlay bodyRules ${key}, which is not an operation`);

  // Alternatives narrowest first, by how many operations each set authorises (one measure, shared with the runtime).
  const rules = draft.map((d) => ({ anyOf: d.anyOf, ...(d.bodyRules ? { bodyRules: d.bodyRules } : {}) }));
  const privileged = new Set(overlay.privilegedScopes ?? []);
  for (const d of draft) {
    d.anyOf = narrowestFirst(d.anyOf, rules, privileged);
    if (d.bodyRules) d.bodyRules = d.bodyRules.map((r) => ({ ...r, anyOf: narrowestFirst(r.anyOf, rules, privileged) }));
  }

  const names = resolveNameClashes(draft.map((d) => ({ key: d.key, name: d.proposed })), warn);
  const operations: Operation[] = draft
    .map(({ key, proposed: _p, ...rest }) => ({ ...rest, name: names.get(key)! }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const ids = new Set<string>();
  for (const o of operations) {
    if (ids.has(o.id)) warn(`${o.method} ${o.path}: duplicate operationId ${o.id}`);
    ids.add(o.id);
  }

  const declared = Object.keys(doc.components?.securitySchemes?.oAuth2ClientCredentials?.flows?.clientCredentials?.scopes ?? {});
  const used = operations.flatMap((o) => [...o.scopes, ...o.anyOf.flat(), ...(o.bodyRules ?? []).flatMap((r) => r.anyOf.flat())]);
  const scopes = [...new Set([...declared, ...Object.keys(overlay.scopes ?? {}), ...used])].sort();
  const specialScopes = [...new Set(overlay.specialScopes ?? [])].filter((s) => scopes.includes(s)).sort();
  for (const s of overlay.privilegedScopes ?? []) if (!scopes.includes(s)) warn(`overlay privilegedScopes names ${s}, which is not a scope`);
  const privilegedScopes = [...privileged].filter((s) => scopes.includes(s)).sort();
  return { operations, scopes, specialScopes, privilegedScopes, warnings };
}
