/**
 * Path and query encoding. Every path parameter becomes exactly one path segment: nothing a caller passes
 * (`a/b`, `..`, `?`, `#`, `%2F`, unicode) can change which route is called.
 */
import { InvalidRequestError } from './errors';

type Scalar = string | number | boolean | bigint;

function scalar(name: string, value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidRequestError(`${where} parameter \`${name}\` must be a finite number, got ${value}.`);
    return String(value);
  }
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  throw new InvalidRequestError(`${where} parameter \`${name}\` must be a string, number or boolean, got ${value === null ? 'null' : typeof value}.`);
}

function encode(name: string, raw: string, where: string): string {
  try {
    return encodeURIComponent(raw);
  } catch {
    throw new InvalidRequestError(`${where} parameter \`${name}\` is not well-formed Unicode (lone surrogate); fix the value.`);
  }
}

/** Encode one path segment. Refuses values that would be empty or a dot segment (URL parsers collapse those). */
export function encodePathSegment(name: string, value: unknown): string {
  if (value === undefined || value === null) {
    throw new InvalidRequestError(`Missing path parameter \`${name}\`; pass it in params, e.g. { ${name}: '…' }.`);
  }
  const raw = scalar(name, value, 'Path');
  if (raw === '' || raw === '.' || raw === '..') {
    throw new InvalidRequestError(
      `Path parameter \`${name}\` must not be ${raw === '' ? 'empty' : `"${raw}"`}: it would change the route. Pass a real identifier.`,
    );
  }
  return encode(name, raw, 'Path');
}

/**
 * A template split once into literal and placeholder pieces: `[literal, name, literal, name, …, literal]`.
 * Placeholders not in `names` stay literal text.
 */
export function compilePath(template: string, names: readonly string[]): readonly string[] {
  const parts = template.split(/\{([^{}/]+)\}/);
  const out: string[] = [parts[0] as string];
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] as string;
    const next = parts[i + 1] as string;
    if (names.includes(name)) out.push(name, next);
    else out[out.length - 1] += `{${name}}${next}`;
  }
  return out;
}

/** Fill a compiled template (see `compilePath`). */
export function fillCompiled(pieces: readonly string[], params: Record<string, unknown> | undefined): string {
  let out = pieces[0] as string;
  for (let i = 1; i < pieces.length; i += 2) {
    const name = pieces[i] as string;
    out += encodePathSegment(name, params?.[name]) + (pieces[i + 1] as string);
  }
  return out;
}

/** Placeholder names of a template, in order. */
export function placeholders(template: string): string[] {
  const out: string[] = [];
  const re = /\{([^{}/]+)\}/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(template)) !== null) out.push(m[1] as string);
  return out;
}

/** Build a query string (with leading `?`, or '' when empty). Arrays repeat the key; undefined/null are skipped. */
export function buildQuery(params: Record<string, unknown> | undefined, skip: readonly string[]): string {
  if (!params) return '';
  let out = '';
  for (const key in params) {
    if (!Object.hasOwn(params, key) || skip.includes(key)) continue;
    const value = params[key];
    if (value === undefined || value === null) continue;
    const values: unknown[] = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (v === undefined || v === null) continue;
      out += `${out ? '&' : '?'}${encode(key, key, 'Query')}=${encode(key, scalar(key, v as Scalar, 'Query'), 'Query')}`;
    }
  }
  return out;
}
