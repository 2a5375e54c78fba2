/** `SCOPEBOUND_TRACE=console`: the tour prints a span per Management API call and token mint (ConsoleSpanExporter), never a secret. */
import { afterEach, expect, test, vi } from 'vitest';
import { DEMO_CLIENTS } from '@scopebound/emulator';
import { ConfigError, run } from '../src/run';

afterEach(() => vi.restoreAllMocks());

test('SCOPEBOUND_TRACE=console prints the spans of the tour', async () => {
  const printed: unknown[] = [];
  // ConsoleSpanExporter writes each span with console.dir.
  vi.spyOn(console, 'dir').mockImplementation((span: unknown) => void printed.push(span));
  const running = await run({ argv: ['--tour-only'], env: { PORT: '0', SCOPEBOUND_TRACE: 'console' }, write: () => undefined });
  await running.close();
  const spans = printed as { name: string; kind: number; attributes: Record<string, unknown>; parentSpanContext?: { spanId: string } }[];
  const plan = spans.find((s) => s.name === 'PATCH /api/v2/users/{id}');
  expect(plan?.attributes).toMatchObject({ 'scopebound.operation': 'users.update', 'scopebound.scopes.granted': ['update:users_app_metadata'], 'http.response.status_code': 200 });
  expect(spans.filter((s) => s.name === 'scopebound token mint').length).toBeGreaterThanOrEqual(2);
  expect(spans.some((s) => s.attributes['scopebound.token.source'] === 'cache')).toBe(true);
  const text = JSON.stringify(printed);
  for (const c of DEMO_CLIENTS) if (c.clientSecret) expect(text).not.toContain(c.clientSecret);
  expect(text).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
});

test('without SCOPEBOUND_TRACE nothing is printed; another value is a configuration error', async () => {
  const dir = vi.spyOn(console, 'dir').mockImplementation(() => undefined);
  const running = await run({ argv: ['--tour-only'], env: { PORT: '0' }, write: () => undefined });
  await running.close();
  expect(dir).not.toHaveBeenCalled();
  await expect(run({ env: { PORT: '0', SCOPEBOUND_TRACE: 'otlp' }, write: () => undefined })).rejects.toThrow(ConfigError);
});
