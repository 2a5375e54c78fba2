/** Resolving local `$ref` pointers (`#/components/...`) inside an OpenAPI document. Pure. */

type Json = Record<string, any>;

/** Follow `$ref` chains (at most 20 deep) to the node they name; anything else is returned as is. */
export function resolveRef(doc: Json, node: any, depth = 0): any {
  if (!node || typeof node !== 'object' || depth > 20) return node;
  if (typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
    const target = node.$ref
      .slice(2)
      .split('/')
      .reduce((acc: any, part: string) => (acc == null ? acc : acc[part.replace(/~1/g, '/').replace(/~0/g, '~')]), doc);
    return resolveRef(doc, target, depth + 1);
  }
  return node;
}
