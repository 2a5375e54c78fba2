/**
 * `schema.d.ts`: openapi-typescript's types for the slimmed document, with every optional property also
 * accepting `undefined` (so callers compiling with `exactOptionalPropertyTypes` can pass `{ page: maybe }`).
 */
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';

const f = ts.factory;

const hasUndefined = (type: ts.TypeNode): boolean =>
  type.kind === ts.SyntaxKind.UndefinedKeyword ||
  (ts.isUnionTypeNode(type) && type.types.some((t) => t.kind === ts.SyntaxKind.UndefinedKeyword));

const isNever = (type: ts.TypeNode | undefined): boolean =>
  type?.kind === ts.SyntaxKind.NeverKeyword ||
  (!!type && ts.isUnionTypeNode(type) && type.types.every((t) => t.kind === ts.SyntaxKind.NeverKeyword || t.kind === ts.SyntaxKind.UndefinedKeyword));
const isOptionalNever = (member: ts.TypeElement): boolean => ts.isPropertySignature(member) && !!member.questionToken && isNever(member.type);
/** openapi-typescript's `headers: { [name: string]: unknown }` on every response: no information, 4 lines each. */
const isOpenHeaders = (member: ts.TypeElement): boolean =>
  ts.isPropertySignature(member) &&
  ts.isIdentifier(member.name) &&
  member.name.text === 'headers' &&
  !!member.type &&
  ts.isTypeLiteralNode(member.type) &&
  member.type.members.length === 1 &&
  ts.isIndexSignatureDeclaration(member.type.members[0]!);
const dropped = (member: ts.TypeElement) => isOptionalNever(member) || isOpenHeaders(member);

/**
 * `name?: T` → `name?: T | undefined`, everywhere in the tree; members that can only be absent
 * (`header?: never`, `put?: never`, …) and open response `headers` are dropped: they say nothing and were a
 * seventh of the file.
 */
const optionalAcceptsUndefined: ts.TransformerFactory<ts.Node> = (context) => {
  const visit = (node: ts.Node): ts.Node => {
    let visited = ts.visitEachChild(node, visit, context);
    if (ts.isTypeLiteralNode(visited) && visited.members.some(dropped)) {
      visited = f.updateTypeLiteralNode(visited, f.createNodeArray(visited.members.filter((m) => !dropped(m))));
    }
    if (ts.isPropertySignature(visited) && visited.questionToken && visited.type && !hasUndefined(visited.type)) {
      const members = ts.isUnionTypeNode(visited.type) ? [...visited.type.types] : [visited.type];
      const type = f.createUnionTypeNode([...members, f.createKeywordTypeNode(ts.SyntaxKind.UndefinedKeyword)]);
      return f.updatePropertySignature(visited, visited.modifiers, visited.name, visited.questionToken, type);
    }
    return visited;
  };
  return (root) => ts.visitNode(root, visit) as ts.Node;
};

export async function renderSchemaTypes(doc: Record<string, unknown>): Promise<string> {
  const nodes = await openapiTS(doc as never, { alphabetize: true, defaultNonNullable: false });
  const result = ts.transform(nodes as ts.Node[], [optionalAcceptsUndefined]);
  const text = astToString(result.transformed as ts.Node[]);
  result.dispose();
  // Two spaces per level instead of the printer's four: the file ships in the package.
  return text.replace(/^(?: {4})+/gm, (indent) => ' '.repeat(indent.length / 2));
}
