import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index';
import { JsonResponse, LightHeaders, LightRequest, webResponse } from '../src/light-http';

describe('the light fetch stand-ins', () => {
  it('headers: case-insensitive, repeated values joined, iterable like fetch Headers', () => {
    const h = new LightHeaders([['Accept', 'a'], ['accept', 'b'], ['X-One', '1']]);
    expect(h.get('ACCEPT')).toBe('a, b');
    h.set('x-one', '2');
    h.delete('Accept');
    expect([...h]).toEqual([['x-one', '2']]);
    expect(new Headers(h.asHeaders()).get('x-one')).toBe('2');
  });

  it('a JSON answer reads once, clones, and becomes a real Response with the same status, headers and body', async () => {
    const r = new JsonResponse(201, '{"a":1}', { 'content-type': 'application/json', 'x-ratelimit-limit': '5' });
    const copy = r.clone();
    expect(await r.json()).toEqual({ a: 1 });
    await expect(r.text()).rejects.toThrow(TypeError);
    const real = webResponse(copy.asResponse());
    expect(real).toBeInstanceOf(Response);
    expect(real.status).toBe(201);
    expect(real.headers.get('x-ratelimit-limit')).toBe('5');
    expect(await real.text()).toBe('{"a":1}');
  });

  it('a request keeps its body bytes; a clone reads independently', async () => {
    const req = new LightRequest('http://127.0.0.1:1/oauth/token', 'POST', new LightHeaders({ 'content-type': 'text/plain' }).asHeaders(), new TextEncoder().encode('x=1'));
    expect(await req.clone().text()).toBe('x=1');
    expect(await req.text()).toBe('x=1');
    expect(req.bodyUsed).toBe(true);
  });

  it('never leaves the emulator: handle() and the in-process fetch answer real Responses', async () => {
    const em = createEmulator();
    try {
      expect(await em.handle(new Request('https://x/__health'))).toBeInstanceOf(Response);
      expect(await em.fetch('/.well-known/openid-configuration')).toBeInstanceOf(Response);
    } finally {
      await em.close();
    }
  });

  it('hands a custom explorer handler a real Request over HTTP, body included', async () => {
    let seen: unknown;
    const em = createEmulator({
      explorer: async (request) => {
        seen = request;
        return new Response(await request.text(), { status: 200 });
      },
    });
    try {
      const server = await em.listen();
      const res = await fetch(`${server.url}/explorer/api/echo`, { method: 'POST', body: 'ping' });
      expect(await res.text()).toBe('ping');
      expect(seen).toBeInstanceOf(Request);
    } finally {
      await em.close();
    }
  });
});
