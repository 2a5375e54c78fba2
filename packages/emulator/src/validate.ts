/**
 * A small JSON-schema validator for the subset the emulator's validation table uses: type, required,
 * properties, additionalProperties, enum, string length/pattern/format email, arrays, min/max properties,
 * $ref (into the table's definitions), oneOf/anyOf. Messages follow Auth0's "Payload validation error" style.
 */
import { EmulatorError } from './errors';

export type SchemaType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export interface Schema {
  type?: SchemaType | readonly SchemaType[];
  properties?: Readonly<Record<string, Schema>>;
  required?: readonly string[];
  additionalProperties?: boolean | Schema;
  enum?: readonly unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: 'email';
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  $ref?: string;
  oneOf?: readonly Schema[];
  anyOf?: readonly Schema[];
}

export type Definitions = Readonly<Record<string, Schema>>;

function typeOf(value: unknown): SchemaType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as SchemaType;
}

function typeMatches(expected: SchemaType, actual: SchemaType): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

function at(path: string): string {
  return path ? ` on property ${path}.` : '.';
}

/** Returns the first error message ("Payload validation error: …"), or undefined when the value is valid. */
export function validate(schema: Schema, value: unknown, defs: Definitions = {}, path = ''): string | undefined {
  const problem = check(schema, value, defs, path);
  return problem ? `Payload validation error: ${problem}` : undefined;
}

function check(schema: Schema, value: unknown, defs: Definitions, path: string): string | undefined {
  if (schema.$ref) {
    const target = defs[schema.$ref];
    if (!target) throw new EmulatorError('ERR_EMULATOR_INTERNAL', `validation table: unknown $ref ${schema.$ref}`);
    return check(target, value, defs, path);
  }
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const types = (Array.isArray(schema.type) ? schema.type : [schema.type]) as SchemaType[];
    if (!types.some((t) => typeMatches(t, actual))) {
      return `'Expected type ${types.join(',')} but found type ${actual}'${at(path)}`;
    }
  }
  if (schema.enum && !schema.enum.includes(value as never)) {
    return `'No enum match for: ${JSON.stringify(value)}'${at(path)}`;
  }
  if (schema.oneOf || schema.anyOf) {
    const list = (schema.oneOf ?? schema.anyOf)!;
    const passing = list.filter((s) => check(s, value, defs, path) === undefined).length;
    if (schema.oneOf ? passing !== 1 : passing === 0) {
      return `'Data does not match any schemas from "${schema.oneOf ? 'oneOf' : 'anyOf'}"'${at(path)}`;
    }
  }
  if (actual === 'string') {
    const s = value as string;
    if (schema.minLength !== undefined && s.length < schema.minLength) {
      return `'String is too short (${s.length} chars), minimum ${schema.minLength}'${at(path)}`;
    }
    if (schema.maxLength !== undefined && s.length > schema.maxLength) {
      return `'String is too long (${s.length} chars), maximum ${schema.maxLength}'${at(path)}`;
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(s)) {
      return `'String does not match pattern ${schema.pattern}: ${s}'${at(path)}`;
    }
    if (schema.format === 'email' && !EMAIL.test(s)) {
      return `'Object didn't pass validation for format email: ${s}'${at(path)}`;
    }
  }
  if (actual === 'array') {
    const arr = value as unknown[];
    if (schema.minItems !== undefined && arr.length < schema.minItems) {
      return `'Array is too short (${arr.length}), minimum ${schema.minItems}'${at(path)}`;
    }
    if (schema.maxItems !== undefined && arr.length > schema.maxItems) {
      return `'Array is too long (${arr.length}), maximum ${schema.maxItems}'${at(path)}`;
    }
    if (schema.items) {
      for (let i = 0; i < arr.length; i++) {
        const p = check(schema.items, arr[i], defs, `${path}[${i}]`);
        if (p) return p;
      }
    }
  }
  if (actual === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    for (const req of schema.required ?? []) {
      if (!(req in obj)) return `'Missing required property: ${req}'${at(path)}`;
    }
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) {
      return `'Too few properties defined (${keys.length}), minimum ${schema.minProperties}'${at(path)}`;
    }
    if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) {
      return `'Too many properties defined (${keys.length}), maximum ${schema.maxProperties}'${at(path)}`;
    }
    const props = schema.properties ?? {};
    if (schema.additionalProperties === false) {
      const extra = keys.filter((k) => !(k in props));
      if (extra.length > 0) return `'Additional properties not allowed: ${extra.join(',')}'${at(path)}`;
    }
    for (const key of keys) {
      const sub = props[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (!sub) continue;
      const p = check(sub, obj[key], defs, path ? `${path}.${key}` : key);
      if (p) return p;
    }
  }
  return undefined;
}
