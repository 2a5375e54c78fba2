/** The fault matrix's one table: each row records its figures (and what it promises); printed once at the end. */

export interface Row {
  readonly row: string;
  readonly promise: string;
  readonly figure: string;
}

const rows: Row[] = [];

export function record(row: string, promise: string, figure: string): void {
  rows.push({ row, promise, figure });
}

export function printTable(): void {
  const width = (key: keyof Row) => Math.max(key.length, ...rows.map((r) => r[key].length));
  const w = { row: width('row'), figure: width('figure'), promise: width('promise') };
  const line = (r: Row) => `| ${r.row.padEnd(w.row)} | ${r.figure.padEnd(w.figure)} | ${r.promise.padEnd(w.promise)} |`;
  const out = [line({ row: 'row', figure: 'figure', promise: 'promise' }), `|${'-'.repeat(w.row + 2)}|${'-'.repeat(w.figure + 2)}|${'-'.repeat(w.promise + 2)}|`];
  for (const r of rows) out.push(line(r));
  console.log(`\nFault matrix\n${out.join('\n')}\n`);
}
