/**
 * "When Redis dropped out": a real redis-server (its own process, by PID, on a free loopback port) behind the
 * token store; killed between two calls, the store errors and the outage show in the metrics, the call still
 * succeeds with a local mint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { createEmulator, type Emulator } from '@scopebound/emulator';
import { createManagementClient } from '@scopebound/management';
import { redisStore } from '@scopebound/redis';
import { clientSecret, createTokenProvider } from '@scopebound/token';
import { instrumentScopebound } from '../src/index';

const CLIENT = { clientId: 'otel-redis-app', clientSecret: 'otel-redis-secret-value' };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let redis: ChildProcess | undefined;
let emu: Emulator;
let url: string;
let closeServer: () => Promise<void>;

beforeAll(async () => {
  emu = createEmulator({ narrowScopes: true, rateLimit: false, clients: [{ ...CLIENT, grants: ['read:users', 'read:roles'] }] });
  const server = await emu.listen({ port: 0 });
  url = server.url;
  closeServer = () => server.close();
});
afterAll(async () => {
  if (redis && redis.exitCode === null) redis.kill('SIGKILL');
  await closeServer();
  await emu.close();
});

it('store errors and the Redis outage are counted; the call mints locally', async () => {
  const port = await freePort();
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0, retryStrategy: () => 200, lazyConnect: true });
  client.on('error', () => {});
  for (let i = 0; ; i++) {
    try {
      await client.connect();
      break;
    } catch {
      if (i > 50) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const off = instrumentScopebound({ tracerProvider, meterProvider });
  const store = redisStore({ client, prefix: `otel-test-${process.pid}:`, commandTimeoutMs: 300, logger: false });
  const tokens = createTokenProvider({ baseUrl: url, credentials: clientSecret(CLIENT), store });
  const mgmt = createManagementClient({ baseUrl: url, tokens, logger: false });
  try {
    await mgmt.users.list({ per_page: 1 });
    const exited = new Promise((resolve) => redis!.once('exit', resolve));
    redis.kill('SIGKILL');
    await exited;
    await mgmt.roles.list(); // a new scope set: the store is asked first, fails, and the provider mints locally
    const { resourceMetrics } = await reader.collect();
    const total = (name: string) =>
      resourceMetrics.scopeMetrics
        .flatMap((s) => s.metrics)
        .filter((m) => m.descriptor.name === name)
        .flatMap((m) => m.dataPoints as { value: number }[])
        .reduce((n, p) => n + p.value, 0);
    expect(total('scopebound.redis.outages')).toBe(1);
    expect(total('scopebound.token.store.errors')).toBeGreaterThanOrEqual(1);
    expect(total('scopebound.token.mints')).toBe(2);
    const roles = spans.getFinishedSpans().find((s) => s.name === 'GET /api/v2/roles');
    expect(roles?.attributes).toMatchObject({ 'http.response.status_code': 200, 'scopebound.token.source': 'mint' });
  } finally {
    off();
    await tokens.settle?.();
    await mgmt.close();
    await store.close();
    client.disconnect();
    await meterProvider.shutdown();
  }
});
