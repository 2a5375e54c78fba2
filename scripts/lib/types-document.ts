/**
 * The document cut down to what the generated types need, before openapi-typescript sees it: success
 * responses only, JSON content only, no headers, no `default` values (in this document they are sample values,
 * e.g. an email address, not what the server assumes), only the component schemas the operations reach, and
 * the request bodies the overlay says Auth0 closes (`closedBodies`) closed. Pure: returns a copy.
 */
import { resolveRef } from './refs';

type Json = Record<string, any>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** The JSON content of a content map (or the first one when there is no JSON), as a one-entry map. */
function jsonOnly(content: Json | undefined): Json | undefined {
  if (!content || typeof content !== 'object') return content;
  if (content['application/json']) return { 'application/json': content['application/json'] };
  const first = Object.keys(content).sort()[0];
  return first === undefined ? content : { [first]: content[first] };
}

function slimOperation(doc: Json, op: Json): Json {
  const out: Json = { ...op };
  const body = resolveRef(doc, op.requestBody);
  if (body) out.requestBody = { ...body, content: jsonOnly(body.content) };
  const responses: Json = {};
  for (const [code, response] of Object.entries(op.responses ?? {})) {
    if (!/^2\d\d$/.test(code)) continue;
    const r = resolveRef(doc, response);
    responses[code] = r?.content ? { content: jsonOnly(r.content) } : {};
  }
  out.responses = responses;
  return out;
}

/** A copy without the `default` keyword (a property *named* `default`, under `properties`, stays). */
export function dropDefaults<T>(node: T, underProperties = false): T {
  if (Array.isArray(node)) return node.map((n) => dropDefaults(n)) as T;
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'default' && !underProperties) continue;
    out[k] = dropDefaults(v, k === 'properties' && !underProperties);
  }
  return out as T;
}

/** Every `#/components/schemas/NAME` a node refers to, transitively. */
export function reachableSchemas(doc: Json, roots: unknown[]): Set<string> {
  const seen = new Set<string>();
  const queue: unknown[] = [...roots];
  while (queue.length > 0) {
    const node = queue.pop();
    if (Array.isArray(node)) queue.push(...node);
    else if (node && typeof node === 'object') {
      const ref = (node as Json).$ref;
      if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
        const name = ref.slice('#/components/schemas/'.length);
        if (!seen.has(name)) {
          seen.add(name);
          queue.push(doc.components?.schemas?.[name]);
        }
      }
      queue.push(...Object.values(node as Json));
    }
  }
  return seen;
}

/** The schema name of an operation's JSON request body, when it is a `$ref`. */
function bodySchemaName(op: Json): string | undefined {
  const ref = op.requestBody?.content?.['application/json']?.schema?.$ref;
  return typeof ref === 'string' && ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : undefined;
}

/**
 * @param closedBodies "METHOD /path" keys whose request body Auth0 validates strictly although the document
 *   declares `additionalProperties: true` (the overlay's correction): their body schema is closed.
 */
export function typesDocument(input: Json, closedBodies: readonly string[] = []): { doc: Json; warnings: string[] } {
  const warnings: string[] = [];
  const doc = dropDefaults(input);
  const paths: Json = {};
  const toClose = new Set<string>();
  for (const path of Object.keys(doc.paths ?? {})) {
    const item = doc.paths[path] as Json;
    const slim: Json = {};
    for (const [k, v] of Object.entries(item ?? {})) {
      slim[k] = METHODS.includes(k) && v && typeof v === 'object' ? slimOperation(doc, v as Json) : v;
      if (METHODS.includes(k) && closedBodies.includes(`${k.toUpperCase()} ${path}`)) {
        const name = bodySchemaName(slim[k]);
        if (name) toClose.add(name);
        else warnings.push(`overlay closedBodies ${k.toUpperCase()} ${path}: the operation has no $ref JSON body`);
      }
    }
    paths[path] = slim;
  }
  for (const key of closedBodies) {
    const [method = '', path = ''] = key.split(' ');
    if (!doc.paths?.[path]?.[method.toLowerCase()]) warnings.push(`overlay closedBodies ${key}, which is not an operation`);
  }
  const reached = reachableSchemas(doc, [paths]);
  const schemas: Json = {};
  for (const name of Object.keys(doc.components?.schemas ?? {}).sort()) {
    if (!reached.has(name)) continue;
    const schema = doc.components.schemas[name];
    schemas[name] = toClose.has(name) ? { ...schema, additionalProperties: false } : schema;
  }
  const components: Json = { schemas };
  if (doc.components?.securitySchemes) components.securitySchemes = doc.components.securitySchemes;
  return { doc: { ...doc, paths, components }, warnings };
}
