/**
 * `timeout` bounds the whole attempt (connect, headers and body) on both transports: a body trickled one byte
 * at a time is cut off at the deadline. Counted in bytes the server managed to write, not in wall-clock time.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManagementClient, TimeoutError } from '../../src/index';
import { fakeTokens } from '../helpers';

const TICK_MS = 20;
const BYTES = 150; // 3 s of trickle
let server: Server;
let baseUrl: string;
const written: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    const slot = written.push(0) - 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    const timer = setInterval(() => {
      if (res.destroyed || (written[slot] as number) >= BYTES) {
        clearInterval(timer);
        if (!res.destroyed) res.end(']');
        return;
      }
      written[slot] = (written[slot] as number) + 1;
      res.write(' ');
    }, TICK_MS);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe.each(['undici', 'fetch'] as const)('a trickled body on the %s transport', (kind) => {
  it('is cut off at `timeout` (300 ms: at most (300 + 100) / 20 bytes written), as a TimeoutError', async () => {
    const mgmt = createManagementClient({
      baseUrl,
      tokens: fakeTokens(),
      timeout: 300,
      retry: false,
      ...(kind === 'fetch' ? { fetch: (input: string, init: RequestInit) => globalThis.fetch(input, init) } : {}),
    });
    const error = await mgmt.users.list().catch((e: unknown) => e);
    await mgmt.close();
    expect(error).toBeInstanceOf(TimeoutError);
    const sent = written[written.length - 1] as number;
    expect(sent).toBeLessThanOrEqual((300 + 100) / TICK_MS);
  });
});

describe('the caller aborting on the undici transport', () => {
  it("rejects with the caller's reason (not a TimeoutError) and stops reading the body", async () => {
    const mgmt = createManagementClient({ baseUrl, tokens: fakeTokens(), timeout: 5_000, retry: false });
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const call = mgmt.users.get({ id: 'u1' }, undefined, { signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(reason), 100);
    const error = await call;
    await mgmt.close();
    expect(error).toBe(reason);
    expect(written[written.length - 1] as number).toBeLessThanOrEqual((100 + 100) / TICK_MS);
  });
});
