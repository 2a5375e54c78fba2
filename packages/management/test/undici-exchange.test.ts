/**
 * The undici dispatch handler on its own, over real HTTP on loopback: headers as `Agent.request` gives them,
 * bodies split across chunks, the size cap without (or with a lying) content-length, and a caller's signal that
 * fired before the call (nothing is sent).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseTooLargeError } from '../src/errors';
import type { TransportRequest } from '../src/transport';
import { exchange, parseRawHeaders } from '../src/undici-exchange';

let server: Server;
let origin: string;
let agent: Agent;
const seen: string[] = [];
const closed: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    res.on('close', () => closed.push(req.url ?? ''));
    if (req.url === '/headers') {
      res.setHeader('X-Twice', ['a', 'b']);
      res.setHeader('Content-Type', 'application/json');
      res.end('{}');
    } else if (req.url === '/split') {
      // "é" (two bytes in UTF-8) split across two writes.
      const bytes = Buffer.from('{"name":"René"}');
      const cut = bytes.indexOf(0xc3) + 1;
      res.write(bytes.subarray(0, cut));
      setTimeout(() => res.end(bytes.subarray(cut)), 20);
    } else if (req.url === '/endless') {
      // Chunked, no content-length: only counting bytes can stop it.
      const timer = setInterval(() => res.write('x'.repeat(1024)), 2);
      res.on('close', () => clearInterval(timer));
    } else if (req.url === '/declared') {
      res.writeHead(200, { 'content-length': '999999' });
      res.write('x');
    } else {
      res.end('');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  agent = new Agent();
});
afterAll(async () => {
  await agent.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function req(path: string, extra: Partial<TransportRequest> = {}): TransportRequest {
  return {
    method: 'GET',
    origin,
    path,
    headers: { accept: 'application/json' },
    body: undefined,
    signal: undefined,
    timeoutMs: 5_000,
    maxBytes: 64 * 1024,
    info: { method: 'GET', route: path, operation: undefined },
    ...extra,
  } as TransportRequest;
}

describe('undici exchange', () => {
  it('lower-cases header names and keeps repeated headers as arrays', async () => {
    const res = await exchange(agent, req('/headers'));
    expect(res.status).toBe(200);
    expect(res.headers['x-twice']).toEqual(['a', 'b']);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe('{}');
    expect(parseRawHeaders([Buffer.from('A'), Buffer.from('1'), Buffer.from('a'), Buffer.from('2'), Buffer.from('a'), Buffer.from('3')])).toEqual({ a: ['1', '2', '3'] });
  });

  it('decodes a multi-byte character split across chunks', async () => {
    expect(JSON.parse((await exchange(agent, req('/split'))).body)).toEqual({ name: 'René' });
  });

  it('stops a chunked body at maxBytes and closes the connection', async () => {
    const err = await exchange(agent, req('/endless', { maxBytes: 32 * 1024 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect((err as ResponseTooLargeError).limit).toBe(32 * 1024);
    await expect.poll(() => closed.includes('/endless')).toBe(true);
  });

  it('refuses a declared content-length above maxBytes before reading the body', async () => {
    const err = await exchange(agent, req('/declared', { maxBytes: 1000 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
  });

  it("sends nothing when the caller's signal has already fired, and rejects with its reason", async () => {
    const reason = new Error('caller gave up');
    const err = await exchange(agent, req('/never', { signal: AbortSignal.abort(reason) })).catch((e: unknown) => e);
    expect(err).toBe(reason);
    await exchange(agent, req('/after'));
    expect(seen).toContain('/after');
    expect(seen).not.toContain('/never');
  });
});
