/**
 * The export file's text, pure: users → CSV (a header row of `export_as ?? name`, RFC 4180 quoting) or JSON
 * lines (one object per user, as Auth0's "json" format is NDJSON). Field names are paths: `email`,
 * `user_metadata.country`, `identities[0].connection`.
 */
import type { ExportField } from './job-record';

/** What Auth0 exports when no `fields` are given. */
export const DEFAULT_EXPORT_FIELDS: readonly ExportField[] = Object.freeze(
  ['user_id', 'email', 'email_verified', 'name', 'nickname', 'picture', 'created_at', 'updated_at', 'last_login', 'logins_count', 'blocked'].map((name) => ({ name })),
);

/** Auth0 takes at most 30 fields. */
export const MAX_EXPORT_FIELDS = 30;

/** The value at a field path (`a.b`, `a[0].b`), or undefined. */
export function fieldValue(user: Readonly<Record<string, unknown>>, path: string): unknown {
  let value: unknown = user;
  for (const part of path.split(/\.|\[(\d+)\]\.?/).filter((p) => p !== undefined && p !== '')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole file for `users` in `format`, with a trailing newline after every row. */
export function exportFileText(users: readonly Readonly<Record<string, unknown>>[], fields: readonly ExportField[], format: 'csv' | 'json'): string {
  const names = fields.map((f) => f.export_as ?? f.name);
  if (format === 'csv') {
    const rows = [names.map(csvCell).join(','), ...users.map((u) => fields.map((f) => csvCell(fieldValue(u, f.name))).join(','))];
    return `${rows.join('\n')}\n`;
  }
  return users
    .map((u) => {
      const row: Record<string, unknown> = {};
      fields.forEach((f, i) => {
        const value = fieldValue(u, f.name);
        if (value !== undefined) row[names[i]!] = value;
      });
      return `${JSON.stringify(row)}\n`;
    })
    .join('');
}
