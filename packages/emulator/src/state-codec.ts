/**
 * The tenant state as JSON and back: Maps, Sets and key objects (client credentials' public keys) are tagged
 * (`{$map}`, `{$set}`, `{$key}`), and a decoded state is checked against a fresh one's shape so a file that
 * is not a state fails here rather than in a request.
 */
import { createPublicKey, KeyObject } from 'node:crypto';
import { createState, type TenantState } from './state';

export const STATE_FORMAT = 'scopebound-emulator-state';
export const STATE_VERSION = 1;

/** What a state file holds. */
export interface StateSnapshot {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  domain: string;
  apiSecret: string;
  globalClientId: string;
  state: TenantState;
}

function encode(value: unknown): unknown {
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [k, encode(v)]) };
  if (value instanceof Set) return { $set: [...value].map(encode) };
  if (value instanceof KeyObject) return { $key: value.export({ type: 'spki', format: 'pem' }).toString() };
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value;
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (!value || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if (Array.isArray(o.$map)) return new Map((o.$map as [string, unknown][]).map(([k, v]) => [k, decode(v)]));
  if (Array.isArray(o.$set)) return new Set(o.$set.map(decode));
  if (typeof o.$key === 'string') return createPublicKey(o.$key);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decode(v)]));
}

export function encodeSnapshot(snapshot: Omit<StateSnapshot, 'format' | 'version'>): string {
  return `${JSON.stringify({ format: STATE_FORMAT, version: STATE_VERSION, ...snapshot, state: encode(snapshot.state) })}\n`;
}

const kind = (v: unknown) => (v instanceof Map ? 'map' : Array.isArray(v) ? 'array' : typeof v);

/** Parse a state file's text; throws an `Error` saying what is wrong (the caller names the file). */
export function decodeSnapshot(text: string): StateSnapshot {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`not JSON (${(error as Error).message})`);
  }
  if (!raw || typeof raw !== 'object' || raw.format !== STATE_FORMAT) throw new Error(`no "format": "${STATE_FORMAT}" field`);
  if (raw.version !== STATE_VERSION) throw new Error(`version ${String(raw.version)} is not supported (expected ${STATE_VERSION})`);
  for (const field of ['domain', 'apiSecret', 'globalClientId'] as const) {
    if (typeof raw[field] !== 'string' || raw[field] === '') throw new Error(`"${field}" is missing`);
  }
  let state: TenantState;
  try {
    state = decode(raw.state) as TenantState;
  } catch (error) {
    throw new Error(`the state does not decode (${(error as Error).message})`);
  }
  const template = createState();
  // Files saved before jobs existed load with none.
  if (state && typeof state === 'object' && !('jobs' in state)) (state as TenantState).jobs = new Map();
  for (const [key, expected] of Object.entries(template)) {
    const actual = (state as unknown as Record<string, unknown> | undefined)?.[key];
    if (kind(actual) !== kind(expected)) throw new Error(`state.${key} should be a ${kind(expected)}, found ${kind(actual)}`);
  }
  return { format: STATE_FORMAT, version: STATE_VERSION, domain: raw.domain as string, apiSecret: raw.apiSecret as string, globalClientId: raw.globalClientId as string, state };
}
