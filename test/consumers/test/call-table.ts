/**
 * The call table of docs/migrating-from-auth0.md, read from the markdown: each row's calls per column (`auth0`
 * v4, v5–v7, Scopebound) as code spans, its "scope asked for" column as scope sets, and `runCall`, which runs a
 * cell's call text as written (its argument names bound to the caller's values), so the doc is what is executed.
 */

export type Column = 'v4' | 'v7' | 'scopebound';

export interface Call {
  /** The call as the guide writes it: `users.update({ id }, data)`. */
  readonly text: string;
  /** Its method path: `users.update`. */
  readonly path: string;
}

export interface Row {
  readonly n: number;
  readonly calls: Readonly<Record<Column, readonly Call[]>>;
  /** The scope column's sets, in order: `a` + `b` is one set of two, anything else between spans starts a new set. */
  readonly scopes: readonly (readonly string[])[];
}

const HEADER = /^\| # \| `auth0` v4 .*\| scope asked for \|$/m;
const SPAN = /`([^`]+)`/g;
const CALL = /^([A-Za-z][\w]*(?:\.[A-Za-z]\w*)*)\((.*)\)$/;
const SCOPE = /^[a-z_]+:[a-z_]+$/;

function calls(cell: string, where: string): Call[] {
  const out = [...cell.matchAll(SPAN)].map((m) => m[1]!).filter((s) => CALL.test(s)).map((text) => ({ text, path: CALL.exec(text)![1]! }));
  if (out.length === 0) throw new Error(`${where}: no call in ${JSON.stringify(cell)}; write it as a code span such as \`users.get({ id })\`.`);
  return out;
}

function scopeSets(cell: string, where: string): string[][] {
  const sets: string[][] = [];
  let end = -1;
  for (const m of cell.matchAll(SPAN)) {
    if (!SCOPE.test(m[1]!)) continue;
    const joined = end >= 0 && cell.slice(end, m.index).trim() === '+';
    if (joined) sets.at(-1)!.push(m[1]!);
    else sets.push([m[1]!]);
    end = m.index + m[0].length;
  }
  if (sets.length === 0) throw new Error(`${where}: no scope in ${JSON.stringify(cell)}; write scopes as code spans (\`read:users\`).`);
  return sets;
}

/** The rows of the table headed `| # | \`auth0\` v4 … | scope asked for |`. */
export function parseCallTable(markdown: string): Row[] {
  const header = HEADER.exec(markdown);
  if (!header) throw new Error('docs/migrating-from-auth0.md: the call table (header "| # | `auth0` v4 … | scope asked for |") is missing.');
  const lines = markdown.slice(header.index).split('\n').slice(2);
  const rows: Row[] = [];
  for (const line of lines) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length !== 5) throw new Error(`call table: a row needs 5 cells, got ${cells.length}: ${line}`);
    const n = Number(cells[0]);
    const where = `call table row ${cells[0]}`;
    const row: Row = {
      n,
      calls: { v4: calls(cells[1]!, `${where} (v4)`), v7: calls(cells[2]!, `${where} (v5–v7)`), scopebound: calls(cells[3]!, `${where} (Scopebound)`) },
      scopes: scopeSets(cells[4]!, where),
    };
    const counts = Object.values(row.calls).map((c) => c.length);
    if (new Set(counts).size !== 1) throw new Error(`${where}: the columns name ${counts.join(' / ')} calls; each column needs the same calls, separated by " / ".`);
    rows.push(row);
  }
  return rows;
}

/** The method `path` names on `client`, or an error saying the guide names a call the client does not have. */
export function methodAt(client: object, path: string, column: Column): (...args: unknown[]) => unknown {
  let parent: unknown;
  let value: unknown = client;
  for (const key of path.split('.')) {
    parent = value;
    value = value === null || value === undefined ? undefined : (value as Record<string, unknown>)[key];
  }
  if (typeof value !== 'function') throw new Error(`${column}: the client has no method \`${path}\`; the guide's ${column} column names a call that does not exist.`);
  return (...args) => (value as (...a: unknown[]) => unknown).apply(parent, args);
}

/**
 * Run a cell's call as written: `users.update({ id }, data)` on `client` with `id` and `data` taken from `vars`.
 * A name the text uses that `vars` lacks fails with a ReferenceError naming it (e.g. `perPage`).
 */
export async function runCall(client: object, call: Call, column: Column, vars: Readonly<Record<string, unknown>>): Promise<unknown> {
  const method = methodAt(client, call.path, column);
  const args = CALL.exec(call.text)![2]!;
  const names = Object.keys(vars);
  const build = new Function(...names, `"use strict"; return [${args}];`) as (...values: unknown[]) => unknown[];
  return method(...build(...names.map((k) => vars[k])));
}
