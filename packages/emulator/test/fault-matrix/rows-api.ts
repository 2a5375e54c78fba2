/**
 * Fault-matrix rows about the Management API: no duplicate writes under 5xx / reset-after-send / timeout,
 * reads retried within budget, 401 twice, and trickled / 50 MB bodies (deadline held, memory bounded).
 */
import { clientSecret, createTokenProvider, type TokenEvent, type TokenSource } from '@scopebound/token';
import { createManagementClient, type ManagementClientOptions, type ManagementEvent } from '@scopebound/management';
import { createEmulator, type FaultRule } from '../../src/index';
import { rawServer, unsignedJwt, type RawServer } from './raw-server';

/** A token source that hands out one static unsigned token granting what is asked. */
export function staticTokens(): TokenSource {
  const value = unsignedJwt({ sub: 'fm@clients', exp: Math.floor(Date.now() / 1000) + 3600 });
  return {
    getToken: async (need) => ({ value, scopes: Array.isArray(need) ? [...need] : [...(need as { preferred: readonly string[] }).preferred], expiresAt: Date.now() + 3_600_000, clientId: 'fm' }),
    invalidate: async () => undefined,
  };
}

function client(server: RawServer, extra: Partial<ManagementClientOptions> = {}) {
  return createManagementClient({ baseUrl: server.url, tokens: staticTokens(), timeout: 300, retry: { minDelayMs: 1, maxDelayMs: 5 }, ...extra });
}

export type WriteFault = '503' | 'reset-after-send' | 'timeout';

/** `calls` POSTs (users.create) against a server that fails each after receiving it: duplicates received. */
export async function duplicateWrites(fault: WriteFault, calls: number): Promise<{ failed: number; duplicates: number }> {
  const server = await rawServer();
  server.handle((_req, res) => {
    if (fault === '503') {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"statusCode":503}');
    } else if (fault === 'reset-after-send') {
      res.socket?.destroy();
    }
    // 'timeout': never answer.
  });
  const mgmt = client(server);
  let failed = 0;
  for (let i = 0; i < calls; i++) await mgmt.users.create({ connection: 'db', email: `u${i}@example.com` }).catch(() => (failed += 1));
  await mgmt.close();
  const bodies = server.seen.filter((r) => r.method === 'POST').map((r) => r.body);
  await server.close();
  return { failed, duplicates: bodies.length - new Set(bodies).size };
}

const CLIENTS = [{ clientId: 'fm-app', clientSecret: 'fm-app-secret-value-0123456789', grants: ['read:users', 'read:roles'] }];

/** An emulator on loopback with `faults`, and a client (its own provider) against it. */
export async function emulated(faults: readonly FaultRule[] = [], extra: { onToken?: (e: TokenEvent) => void; clock?: () => number; refreshAhead?: number } = {}) {
  const em = createEmulator({ clients: CLIENTS, faults });
  const host = await em.listen();
  const requests: ManagementEvent[] = [];
  const mints: TokenEvent[] = [];
  const tokens = createTokenProvider({
    domain: em.domain,
    baseUrl: host.url,
    credentials: clientSecret({ clientId: 'fm-app', clientSecret: 'fm-app-secret-value-0123456789' }),
    onEvent: (e) => {
      if (e.type === 'mint') mints.push(e);
      extra.onToken?.(e);
    },
    ...(extra.clock ? { clock: extra.clock } : {}),
    ...(extra.refreshAhead !== undefined ? { refreshAhead: extra.refreshAhead } : {}),
  });
  const mgmt = createManagementClient({
    baseUrl: host.url,
    audience: `https://${em.domain}/api/v2/`,
    tokens,
    retry: { minDelayMs: 1, maxDelayMs: 5 },
    onEvent: (e) => e.type === 'request' && requests.push(e),
  });
  return {
    em,
    mgmt,
    tokens,
    requests,
    mints,
    async close() {
      await mgmt.close();
      await em.close();
    },
  };
}

/** Reads against a tenant failing the first two attempts of each with 503 (retries: 3): all succeed. */
export async function readsRetried(calls: number): Promise<{ failed: number; maxRequestsPerCall: number }> {
  const env = await emulated([]);
  let failed = 0;
  let maxRequestsPerCall = 0;
  for (let i = 0; i < calls; i++) {
    await env.em.admin.addFault({ match: { operation: 'users.list' }, status: 503, times: 2 });
    const before = env.requests.length;
    await env.mgmt.users.list().catch(() => (failed += 1));
    maxRequestsPerCall = Math.max(maxRequestsPerCall, env.requests.length - before);
  }
  await env.close();
  return { failed, maxRequestsPerCall };
}

/** A tenant answering 401 to every API call: one re-mint, then a typed error (a ManagementApiError 401). */
export async function unauthorizedTwice(): Promise<{ error: unknown; requests: number; mints: number }> {
  const env = await emulated([{ match: { operation: 'users.list' }, status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'Invalid token' } }]);
  const error = await env.mgmt.users.list().catch((e: unknown) => e);
  const result = { error, requests: env.requests.length, mints: env.mints.length };
  await env.close();
  return result;
}

/** A 200 whose body is trickled one byte per 20 ms (timeout 300 ms): bytes the server wrote before the cut. */
export async function trickled(): Promise<{ error: unknown; bytes: number }> {
  const server = await rawServer();
  let bytes = 0;
  server.handle((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const timer = setInterval(() => {
      if (res.destroyed || bytes >= 500) return clearInterval(timer);
      bytes += 1;
      res.write(' ');
    }, 20);
    res.on('close', () => clearInterval(timer));
  });
  const mgmt = client(server, { retry: false });
  const error = await mgmt.users.list().catch((e: unknown) => e);
  await mgmt.close();
  await server.close();
  return { error, bytes };
}

/** A 50 MB chunked body (no content-length) against the 10 MiB cap: MB written, and the heap growth. */
export async function huge(): Promise<{ error: unknown; writtenMb: number; heapGrowthMb: number }> {
  const server = await rawServer();
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let written = 0;
  server.handle((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const pump = () => {
      while (!res.destroyed && written < 50 * 1024 * 1024) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    res.on('error', () => undefined);
    pump();
  });
  const mgmt = client(server, { retry: false, timeout: 10_000 });
  const before = process.memoryUsage().heapUsed;
  const error = await mgmt.users.list().catch((e: unknown) => e);
  const heapGrowthMb = Math.max(0, (process.memoryUsage().heapUsed - before) / 2 ** 20);
  await mgmt.close();
  await server.close();
  return { error, writtenMb: written / 2 ** 20, heapGrowthMb };
}
