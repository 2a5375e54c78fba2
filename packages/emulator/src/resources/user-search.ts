/**
 * The common subset of Auth0's user search (v3, Lucene syntax) that apps use: `field:value`,
 * `field:"quoted value"`, `field:prefix*`, `_exists_:field`, bare words (matched against email, name,
 * nickname, username), `AND` / `OR` / `NOT`, nested fields (`app_metadata.plan`, `identities.connection`).
 * Parentheses and ranges are not supported and answer 400.
 */
import { ApiProblem } from '../http';
import type { UserRecord } from '../state';

type Term = { field?: string; value: string; exact: boolean; prefix: boolean; negate: boolean; exists?: boolean };

function tokenize(q: string): string[] {
  const tokens: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of q) {
    if (ch === '"') {
      quoted = !quoted;
      cur += ch;
    } else if (/\s/.test(ch) && !quoted) {
      if (cur) tokens.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (quoted) throw invalid('unbalanced quotes');
  if (cur) tokens.push(cur);
  return tokens;
}

function invalid(why: string): ApiProblem {
  return new ApiProblem(400, `Query validation error: 'q' is not a supported search query (${why}).`, 'invalid_query_string');
}

function parseTerm(token: string, negate: boolean): Term {
  if (/[()[\]{}]/.test(token)) throw invalid('parentheses and ranges are not supported by the emulator');
  let field: string | undefined;
  let raw = token;
  const m = /^([A-Za-z0-9_.]+):(.*)$/.exec(token);
  if (m) {
    field = m[1];
    raw = m[2]!;
  }
  if (field === '_exists_') return { field: raw, value: '', exact: false, prefix: false, negate, exists: true };
  const exact = raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2;
  let value = exact ? raw.slice(1, -1) : raw;
  const prefix = !exact && value.endsWith('*');
  if (prefix) value = value.slice(0, -1);
  if (value === '' && !prefix) throw invalid(`empty value for ${field ?? 'term'}`);
  return { ...(field ? { field } : {}), value, exact, prefix, negate };
}

function valuesAt(obj: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [obj];
  if (Array.isArray(obj)) return obj.flatMap((o) => valuesAt(o, path));
  if (typeof obj !== 'object' || obj === null) return [];
  return valuesAt((obj as Record<string, unknown>)[path[0]!], path.slice(1));
}

function matchValue(actual: unknown, term: Term): boolean {
  if (actual === undefined || actual === null) return false;
  if (Array.isArray(actual)) return actual.some((a) => matchValue(a, term));
  const s = String(actual).toLowerCase();
  const v = term.value.toLowerCase();
  if (term.prefix) return s.startsWith(v);
  return s === v;
}

function matches(user: UserRecord, term: Term): boolean {
  let hit: boolean;
  if (term.exists) hit = valuesAt(user, term.field!.split('.')).some((v) => v !== undefined && v !== null);
  else if (!term.field) {
    const v = term.value.toLowerCase();
    hit = [user.email, user.name, user.nickname, user.username].some((f) =>
      typeof f === 'string' ? (term.prefix ? f.toLowerCase().startsWith(v) : f.toLowerCase().includes(v)) : false,
    );
  } else hit = valuesAt(user, term.field.split('.')).some((a) => matchValue(a, term));
  return term.negate ? !hit : hit;
}

/** Compile `q` into a predicate: OR of AND-groups. */
export function compileUserQuery(q: string): (user: UserRecord) => boolean {
  const tokens = tokenize(q.trim());
  const groups: Term[][] = [[]];
  let negate = false;
  for (const tok of tokens) {
    if (tok === 'OR') {
      groups.push([]);
      continue;
    }
    if (tok === 'AND') continue;
    if (tok === 'NOT') {
      negate = true;
      continue;
    }
    const neg = tok.startsWith('-') && tok.length > 1;
    groups[groups.length - 1]!.push(parseTerm(neg ? tok.slice(1) : tok, negate || neg));
    negate = false;
  }
  const nonEmpty = groups.filter((g) => g.length > 0);
  if (nonEmpty.length === 0) return () => true;
  return (user) => nonEmpty.some((g) => g.every((t) => matches(user, t)));
}

/** `sort=field:1|-1` */
export function compileUserSort(sort: string | null): ((a: UserRecord, b: UserRecord) => number) | undefined {
  if (!sort) return undefined;
  const m = /^([A-Za-z0-9_.]+):(1|-1)$/.exec(sort);
  if (!m) throw new ApiProblem(400, `Query validation error: 'String does not match pattern ^(([a-zA-Z0-9_\\.]+))\\:(1|-1)$: ${sort}' on property sort.`, 'invalid_query_string');
  const path = m[1]!.split('.');
  const dir = m[2] === '1' ? 1 : -1;
  return (a, b) => {
    const va = valuesAt(a, path)[0];
    const vb = valuesAt(b, path)[0];
    if (va === vb) return 0;
    if (va === undefined || va === null) return 1;
    if (vb === undefined || vb === null) return -1;
    return (String(va) < String(vb) ? -1 : 1) * dir;
  };
}
