/**
 * The shape an operation's success response declares, for runtimes that answer without a handler:
 * `empty` (no JSON body), `array` (a JSON array; an array-or-envelope `oneOf` is an array unless the caller
 * asks for pages), `envelope` (always an object holding the items array and page fields) or `object`.
 */
import { resolveRef } from './refs';

export type ResponseKind = 'array' | 'object' | 'empty' | 'envelope';

type Json = Record<string, any>;

const PAGE_FIELDS = new Set(['start', 'limit', 'length', 'total', 'next', 'page', 'per_page']);

function successSchema(doc: Json, op: Json): any {
  const codes = Object.keys(op.responses ?? {}).filter((c) => /^2\d\d$/.test(c)).sort();
  for (const code of codes) {
    const response = resolveRef(doc, op.responses[code]);
    const schema = response?.content?.['application/json']?.schema;
    if (schema) return resolveRef(doc, schema);
  }
  return undefined;
}

function isEnvelope(doc: Json, schema: any): boolean {
  const props = schema?.properties;
  if (!props || typeof props !== 'object') return false;
  const keys = Object.keys(props);
  const hasItems = keys.some((k) => !PAGE_FIELDS.has(k) && resolveRef(doc, props[k])?.type === 'array');
  return hasItems && keys.some((k) => PAGE_FIELDS.has(k));
}

export function responseKindOf(doc: Json, op: Json): ResponseKind {
  const schema = successSchema(doc, op);
  if (!schema) return 'empty';
  const variants: any[] = (schema.oneOf ?? schema.anyOf ?? [schema]).map((s: any) => resolveRef(doc, s));
  if (variants.some((v) => v?.type === 'array')) return 'array';
  if (variants.length > 0 && variants.every((v) => isEnvelope(doc, v))) return 'envelope';
  return 'object';
}
