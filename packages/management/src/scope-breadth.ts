/**
 * How much a scope set lets a token do: the number of operations of the table that a token holding exactly
 * that set may call. The generator orders every operation's alternatives narrowest first by it (so the
 * runtime never re-sorts), and `scopesFor` reports it as the reason for the order.
 *
 * Privileged scopes (the overlay's list: ones that hand out secrets, such as `read:client_keys` or
 * `read:user_idp_tokens`) come after every plain alternative whatever their breadth: they authorise few
 * operations but expose more through them. Ties (equal breadth) go to the alternative with fewer scopes,
 * then to the one with fewer `read:` scopes (write before read: a read scope exposes every record of its
 * resource, a narrow write such as `create:role_members` only the call it is for), then to the document's
 * order.
 */

export interface RuleLike {
  readonly anyOf: readonly (readonly string[])[];
  readonly bodyRules?: readonly { readonly anyOf: readonly (readonly string[])[] }[];
}

/** Every alternative an operation accepts for some body (its own rule and its body rules). */
function allAlternatives(op: RuleLike): readonly (readonly string[])[] {
  return op.bodyRules ? [...op.anyOf, ...op.bodyRules.flatMap((r) => r.anyOf)] : op.anyOf;
}

/** How many operations a token holding exactly `scopes` may call (for at least one body). */
export function breadthOf(scopes: readonly string[], table: readonly RuleLike[]): number {
  const held = new Set(scopes);
  let n = 0;
  for (const op of table) {
    const alts = allAlternatives(op);
    if (alts.length > 0 && alts.some((alt) => alt.every((s) => held.has(s)))) n++;
  }
  return n;
}

const reads = (alt: readonly string[]) => alt.filter((s) => s.startsWith('read:')).length;

/** `alternatives` narrowest first (a new array; the inputs are not changed). */
export function narrowestFirst<A extends readonly string[]>(
  alternatives: readonly A[],
  table: readonly RuleLike[],
  privileged: ReadonlySet<string> = new Set(),
): A[] {
  const rank = (alt: readonly string[]) => alt.filter((s) => privileged.has(s)).length;
  return alternatives
    .map((alt, index) => ({ alt, index, privileged: rank(alt), breadth: breadthOf(alt, table) }))
    .sort(
      (a, b) =>
        a.privileged - b.privileged || a.breadth - b.breadth || a.alt.length - b.alt.length || reads(a.alt) - reads(b.alt) || a.index - b.index,
    )
    .map(({ alt }) => alt);
}
