/** HTTP helpers of the adapter conformance suite: serve an app on 127.0.0.1:0, call it, check nothing leaked. */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

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
