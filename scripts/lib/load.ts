/** Loading the document and the overlay, with the pinned hash checked. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Overlay } from './build-table';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Pin {
  file: string;
  url: string;
  commit: string;
  sha256: string;
}

export function readPin(): Pin {
  return JSON.parse(readFileSync(resolve(ROOT, 'openapi', 'pin.json'), 'utf8')).management as Pin;
}

/** Where the pinned document is read from: $SCOPEBOUND_OPENAPI_DIR, else ../shared/openapi beside the repo. */
export function defaultSpecPath(pin = readPin()): string {
  const dir = process.env.SCOPEBOUND_OPENAPI_DIR ?? resolve(ROOT, '..', 'shared', 'openapi');
  return resolve(dir, pin.file);
}

export const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

export interface LoadedSpec {
  doc: Record<string, any>;
  sha256: string;
  source: string;
  pinned: boolean;
}

export async function loadSpec(arg?: string): Promise<LoadedSpec> {
  const pin = readPin();
  let text: string;
  let source: string;
  if (arg && /^https?:\/\//.test(arg)) {
    const res = await fetch(arg);
    if (!res.ok) throw new Error(`Could not fetch ${arg}: HTTP ${res.status}. Check the URL or pass a local file with --spec.`);
    text = await res.text();
    source = arg;
  } else {
    const path = arg ? resolve(process.cwd(), arg) : defaultSpecPath(pin);
    if (!existsSync(path)) {
      throw new Error(
        `The OpenAPI document was not found at ${path}. ` +
          (arg ? 'Check the --spec path.' : `Put Auth0's document there (pinned: ${pin.url}) or set SCOPEBOUND_OPENAPI_DIR.`),
      );
    }
    text = readFileSync(path, 'utf8');
    source = arg ?? 'pinned document';
  }
  const hash = sha256(text);
  if (!arg && hash !== pin.sha256) {
    throw new Error(
      `The pinned document's sha256 is ${hash}, expected ${pin.sha256} (openapi/pin.json). ` +
        'Restore the pinned file, or generate from another version explicitly with --spec and update the pin.',
    );
  }
  let doc: Record<string, any>;
  try {
    doc = arg && /\.ya?ml$/i.test(arg) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid ${/\.ya?ml$/i.test(arg ?? '') ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || typeof doc.openapi !== 'string') {
    throw new Error(`${source} is not an OpenAPI 3 document (no "openapi" version field).`);
  }
  return { doc, sha256: hash, source, pinned: !arg || hash === pin.sha256 };
}

export function loadOverlay(path: string = resolve(ROOT, 'openapi', 'overlay.yaml')): Overlay {
  const value = parseYaml(readFileSync(path, 'utf8')) ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${path}: the overlay must be a YAML mapping`);
  return value as Overlay;
}

/** Remove upstream prose (summaries, descriptions, code samples, examples) before generating types. */
export function stripProse<T>(node: T): T {
  if (Array.isArray(node)) return node.map(stripProse) as T;
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === 'description' || k === 'summary' || k === 'x-codeSamples' || k === 'externalDocs' || k === 'example' || k === 'examples' || k.startsWith('x-description')) {
      // Keep property *names* called description/summary/example: those live under `properties`, handled below.
      if (typeof v === 'string' || k === 'x-codeSamples' || k === 'externalDocs' || k === 'examples' || k === 'example') continue;
    }
    out[k] = stripProse(v);
  }
  return out as T;
}
