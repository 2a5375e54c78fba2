/** Test helpers: an emulated tenant with the demo clients, the app over real HTTP on 127.0.0.1:0. */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEmulator, DEMO_CLIENTS, type Emulator } from '@scopebound/emulator';
import { clientSecret, type Credential } from '@scopebound/token';

/** Client-secret credentials of the emulator's demo clients (a pool: least privileged covering one is used). */
export function demoPool(keys?: readonly string[]): Credential[] {
  return DEMO_CLIENTS.filter((c) => c.clientSecret !== undefined && (!keys || keys.includes(c.key))).map((c) =>
    clientSecret({ clientId: c.clientId, clientSecret: c.clientSecret as string, grants: c.scopes }),
  );
}

export function demoSecrets(): string[] {
  return DEMO_CLIENTS.flatMap((c) => (c.clientSecret ? [c.clientSecret] : []));
}

/** An emulated tenant. `seed: false` keeps only the demo clients (no users, roles, …). */
export function emulator(domain = 'tenant-a.scopebound.test', options: { seed?: 'demo' | false; narrowScopes?: boolean } = {}): Emulator {
  const seed = options.seed ?? 'demo';
  return createEmulator({
    domain,
    seed,
    narrowScopes: options.narrowScopes ?? true,
    ...(seed === false
      ? { clients: DEMO_CLIENTS.filter((c) => c.clientSecret).map((c) => ({ clientId: c.clientId, clientSecret: c.clientSecret as string, grants: [...c.scopes] })) }
      : {}),
  });
}

/** Token requests and API calls the tenant saw. */
export function traffic(emu: Emulator) {
  const all = emu.journal.list();
  return {
    mints: all.filter((e) => e.path === '/oauth/token').length,
    api: all.filter((e) => e.path.startsWith('/api/v2')).length,
    total: all.length,
  };
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serve(handler: RequestListener): Promise<Served> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Got {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** One request with a bounded timeout. */
export async function get(url: string, init: RequestInit = {}): Promise<Got> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** JWT-shaped strings or bearer headers must never reach a response. */
export function expectNoSecrets(text: string, secrets: readonly string[] = []): void {
  if (/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/.test(text)) throw new Error(`a JWT leaked into: ${text}`);
  if (/bearer\s+\S/i.test(text)) throw new Error(`a bearer header leaked into: ${text}`);
  for (const s of secrets) if (text.includes(s)) throw new Error('a client secret leaked into a response');
}
