/** `#default-transport`: undici under Node's export conditions, the runtime's fetch on Bun; the web variant never loads undici. */
import { afterEach, expect, test } from 'vitest';
import { DEFAULT_TRANSPORT, defaultTransport } from '#default-transport';
import * as web from '../src/default-transport/web';

afterEach(() => {
  delete (globalThis as { Bun?: unknown }).Bun;
});

const request = (origin: string) => ({
  method: 'GET', origin, path: '/x', headers: {}, body: undefined, signal: undefined, timeoutMs: 5_000, maxBytes: 1_000, info: { method: 'GET', route: '/x' },
});

test('on Node the management client resolves the undici variant', () => {
  expect(DEFAULT_TRANSPORT).toBe('undici');
  expect(web.DEFAULT_TRANSPORT).toBe('fetch');
});

test('the Node variant uses globalThis.fetch when globalThis.Bun is set; the web variant reads globalThis.fetch per call', async () => {
  const seen: string[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = (async (input: string) => {
    seen.push(String(input));
    return new Response('ok', { status: 200 });
  }) as typeof fetch;
  try {
    (globalThis as { Bun?: unknown }).Bun = {};
    const viaBun = await defaultTransport(undefined, 1_000).send(request('http://bun.invalid') as never);
    const viaWeb = await web.defaultTransport(undefined, 1_000).send(request('http://web.invalid') as never);
    expect([viaBun.body, viaWeb.body]).toEqual(['ok', 'ok']);
    expect(seen).toEqual(['http://bun.invalid/x', 'http://web.invalid/x']);
  } finally {
    globalThis.fetch = original;
  }
});
