import { afterAll } from 'vitest';
import { createEmulator, type Emulator, type EmulatorOptions } from '../src/index';

export type Send = (path: string, init?: RequestInit) => Promise<Response>;

export interface Harness {
  em: Emulator;
  /** Send through one host: 'in-process' (tenant.fetch) or 'http' (real loopback socket). */
  send: Send;
  url: string;
  audience: string;
}

/** Start an emulator and expose one host; closed after the file's tests. */
export async function harness(host: 'in-process' | 'http', options: EmulatorOptions = {}): Promise<Harness> {
  const em = createEmulator(options);
  await em.ready();
  afterAll(() => em.close());
  if (host === 'in-process') {
    return { em, send: (path, init) => em.fetch(path, init), url: `https://${em.domain}`, audience: `https://${em.domain}/api/v2/` };
  }
  const server = await em.listen();
  return { em, send: (path, init) => fetch(`${server.url}${path}`, init), url: server.url, audience: `https://${em.domain}/api/v2/` };
}

export const HOSTS = ['in-process', 'http'] as const;

export function form(params: Record<string, string>): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() };
}

export function jsonPost(body: unknown, method = 'POST', token?: string): RequestInit {
  return {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  };
}

export function bearer(token: string, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` } };
}

export async function tokenFor(send: Send, clientId: string, clientSecret: string, audience: string, extra: Record<string, string> = {}): Promise<string> {
  const res = await send('/oauth/token', form({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, audience, ...extra }));
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Send a JSON request with a bearer token and return status + parsed body. */
export async function call(send: Send, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const init: RequestInit = { method, headers: { authorization: `Bearer ${token}` } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await send(path, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export const enc = encodeURIComponent;
