/**
 * The export file's records, pure: a streaming counter over raw bytes (JSON lines: one per line; CSV: line
 * breaks outside quotes, less the header row) and parsers that turn a whole file into row objects.
 */
import type { ExportFormat } from './export-options';

const QUOTE = 0x22;
const NEWLINE = 0x0a;

export interface RecordCounter {
  push(chunk: Uint8Array): void;
  /** Records seen, counting a last record without a trailing newline. */
  total(): number;
}

/** Counts records across chunks; UTF-8 never puts `"` or `\n` inside a multi-byte character, so bytes suffice. */
export function createRecordCounter(format: ExportFormat): RecordCounter {
  let lines = 0;
  let inQuotes = false;
  let pending = false;
  return {
    push(chunk) {
      for (const byte of chunk) {
        if (format === 'csv' && byte === QUOTE) inQuotes = !inQuotes;
        if (byte === NEWLINE && !inQuotes) {
          if (pending) lines += 1;
          pending = false;
        } else if (byte !== 0x0d) pending = true;
      }
    },
    total: () => Math.max(0, lines + (pending ? 1 : 0) - (format === 'csv' ? 1 : 0)),
  };
}

/** RFC 4180 records: quoted cells may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || record.length > 0) records.push([...record, cell]);
  return records;
}

/** The file as rows: JSON lines parsed, or CSV records keyed by the header row. */
export function rowsOf(text: string, format: ExportFormat): Record<string, unknown>[] {
  if (format === 'jsonl') return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  const [header, ...records] = parseCsv(text);
  if (!header) return [];
  return records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
