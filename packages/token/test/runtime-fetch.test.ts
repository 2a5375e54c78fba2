/** The provider's default fetch does `redirect: 'error'` itself (workerd rejects the value): over real loopback HTTP. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runtimeFetch } from '../src/http/runtime-fetch';

const server = createServer((req, res) => {
  if (req.url === '/moved') res.writeHead(302, { location: '/ok' }).end();
  else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
});
let origin = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("redirect: 'error' refuses a redirect with a TypeError, never following it, and sends 'manual' to the runtime", async () => {
  const seen: (RequestRedirect | undefined)[] = [];
  const real = globalThis.fetch;
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    seen.push(init?.redirect);
    return real(input, init);
  }) as typeof fetch;
  try {
    await expect(runtimeFetch(`${origin}/moved`, { redirect: 'error' })).rejects.toThrow(TypeError);
    expect(await (await runtimeFetch(`${origin}/plain`, { redirect: 'error' })).text()).toBe('ok');
    expect(await (await runtimeFetch(`${origin}/moved`)).text()).toBe('ok');
    expect(seen).toEqual(['manual', 'manual', undefined]);
  } finally {
    globalThis.fetch = real;
  }
});
