/** The README example is examples/basic.ts, included verbatim, and runs here over real HTTP against the emulator. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createEmulator } from '@scopebound/emulator';
import { main } from '../examples/basic';

const dir = fileURLToPath(new URL('..', import.meta.url));

test('README includes examples/basic.ts verbatim', () => {
  expect(readFileSync(`${dir}README.md`, 'utf8')).toContain(readFileSync(`${dir}examples/basic.ts`, 'utf8').trim());
});

test('examples/basic.ts: a span per call and the mint under the first one', async () => {
  process.env.APP_SECRET = 'readme-app-secret-value';
  const emu = createEmulator({ clients: [{ clientId: 'app', clientSecret: process.env.APP_SECRET, grants: ['read:users'] }] });
  const server = await emu.listen({ port: 0 });
  // Keeps what it is handed past the provider's shutdown (the in-memory exporter clears itself then).
  const spans: ReadableSpan[] = [];
  const exporter: SpanExporter = { export: (batch, done) => (spans.push(...batch), done({ code: 0 })), shutdown: async () => {} };
  try {
    await main(server.url, exporter);
  } finally {
    await server.close();
    await emu.close();
  }
  const call = spans.find((s) => s.name === 'GET /api/v2/users');
  const mint = spans.find((s) => s.name === 'scopebound token mint');
  expect(call?.attributes).toMatchObject({ 'scopebound.operation': 'users.list', 'http.response.status_code': 200, 'scopebound.token.source': 'mint' });
  expect(mint?.parentSpanContext?.spanId).toBe(call?.spanContext().spanId);
});
