/**
 * instrumentScopebound() over real HTTP: the client (undici transport) against the emulator on 127.0.0.1,
 * spans and metrics read from the OpenTelemetry SDK's in-memory exporters.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as dc from 'node:diagnostics_channel';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { createEmulator, type Emulator } from '@scopebound/emulator';
import { createManagementClient, type ManagementClient } from '@scopebound/management';
import { clientSecret, createTokenProvider, memoryStore, scopeNeed, type TokenStore } from '@scopebound/token';
import { CHANNELS } from '@scopebound/token/diagnostics';
import { instrumentScopebound } from '../src/index';

const CLIENT = { clientId: 'otel-app', clientSecret: 'otel-client-secret-value-7f3a' };
const USER_ID = 'auth0|pii-person-4711';
const EMAIL = 'pii.person@example.com';
const QUERY = `email:"${EMAIL}"`;
const PLAN = 'secret-plan-value-91';

let emu: Emulator;
let url: string;
let closeServer: () => Promise<void>;
const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
const meterProvider = new MeterProvider({ readers: [reader] });
let off: () => void;
const issued: string[] = [];

beforeAll(async () => {
  emu = createEmulator({
    narrowScopes: true,
    rateLimit: false,
    seed: { users: [{ user_id: USER_ID, email: EMAIL }] },
    clients: [{ ...CLIENT, grants: ['read:users', 'update:users_app_metadata', 'read:roles'] }],
  });
  const server = await emu.listen({ port: 0 });
  url = server.url;
  closeServer = () => server.close();
  off = instrumentScopebound({ tracerProvider, meterProvider });
});
afterAll(async () => {
  off();
  await closeServer();
  await emu.close();
  await meterProvider.shutdown();
});
afterEach(() => emu.admin.clearFaults());

/** A client on its own token provider (optionally sharing a store), and a way to read the tokens it holds. */
function client(store: TokenStore = memoryStore()): { mgmt: ManagementClient; tokenValue(scopes: string[]): Promise<string> } {
  const tokens = createTokenProvider({ baseUrl: url, credentials: clientSecret(CLIENT), store });
  const mgmt = createManagementClient({ baseUrl: url, tokens, logger: false, sleep: async () => {}, retry: { jitter: false } });
  return {
    mgmt,
    async tokenValue(scopes) {
      const t = await tokens.getToken(scopeNeed([scopes]));
      issued.push(t.value);
      return t.value;
    },
  };
}

const finished = () => spans.getFinishedSpans();
const named = (name: string) => finished().filter((s) => s.name === name);
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

async function collect(): Promise<ResourceMetrics> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  return resourceMetrics;
}

function sum(rm: ResourceMetrics, name: string, where: Record<string, unknown> = {}): number {
  let total = 0;
  for (const scope of rm.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name !== name) continue;
      for (const point of metric.dataPoints as { attributes: Record<string, unknown>; value: unknown }[]) {
        if (!Object.entries(where).every(([k, v]) => point.attributes[k] === v)) continue;
        const v = point.value as number | { count: number };
        total += typeof v === 'number' ? v : v.count;
      }
    }
  }
  return total;
}

describe('spans', () => {
  it('a CLIENT span per call (HTTP semantic conventions + scopebound.*) and a mint span under the call that minted', async () => {
    spans.reset();
    const { mgmt } = client();
    await mgmt.users.get({ id: USER_ID });
    await mgmt.users.get({ id: USER_ID });
    const calls = named('GET /api/v2/users/{id}');
    expect(calls).toHaveLength(2);
    const [first, second] = calls as [ReadableSpan, ReadableSpan];
    const port = Number(new URL(url).port);
    expect(first.kind).toBe(2); // SpanKind.CLIENT
    expect(first.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': `${url}/api/v2/users/{id}`,
      'url.template': '/api/v2/users/{id}',
      'server.address': '127.0.0.1',
      'server.port': port,
      'http.response.status_code': 200,
      'scopebound.operation': 'users.get',
      'scopebound.scopes.granted': ['read:users'],
      'scopebound.token.source': 'mint',
      'scopebound.retries': 0,
      'scopebound.rate_limit.wait_ms': 0,
    });
    expect(first.attributes['scopebound.scopes.requested']).toContain('read:users');
    expect(first.attributes['http.request.resend_count']).toBeUndefined();
    expect(second.attributes['scopebound.token.source']).toBe('cache');

    const mints = named('scopebound token mint');
    expect(mints).toHaveLength(1);
    expect(parentOf(mints[0]!)).toBe(first.spanContext().spanId);
    expect(mints[0]!.spanContext().traceId).toBe(first.spanContext().traceId);
    expect(mints[0]!.attributes).toMatchObject({
      'scopebound.token.kind': 'mint',
      'scopebound.client_id': CLIENT.clientId,
      'scopebound.scopes.requested': ['read:users'],
      'scopebound.scopes.granted': ['read:users'],
      'server.address': '127.0.0.1',
    });
    await mgmt.close();
  });

  it('token source "store": a second process-like provider finds the token in the shared store', async () => {
    spans.reset();
    const store = memoryStore();
    const a = client(store);
    const b = client(store);
    await a.mgmt.roles.list();
    await b.mgmt.roles.list();
    expect(named('GET /api/v2/roles').map((s) => s.attributes['scopebound.token.source'])).toEqual(['mint', 'store']);
    await Promise.all([a.mgmt.close(), b.mgmt.close()]);
  });

  it('retries, 429s and errors: resend count, rate-limit retries, error.type and an ERROR status', async () => {
    spans.reset();
    const { mgmt } = client();
    await emu.admin.addFault({ match: { operation: 'users.list' }, times: 1, status: 429, headers: { 'retry-after': '1' } });
    await emu.admin.addFault({ match: { operation: 'roles.list' }, times: 1, status: 503 });
    await mgmt.users.list({ q: QUERY });
    await mgmt.roles.list();
    await expect(mgmt.users.get({ id: 'auth0|nobody-here' })).rejects.toMatchObject({ status: 404 });
    const list = named('GET /api/v2/users')[0]!;
    expect(list.attributes).toMatchObject({ 'http.request.resend_count': 1, 'scopebound.rate_limit.retries': 1, 'http.response.status_code': 200 });
    expect(list.attributes['scopebound.rate_limit.wait_ms']).toBeGreaterThanOrEqual(1000);
    expect(named('GET /api/v2/roles')[0]!.attributes).toMatchObject({ 'http.request.resend_count': 1, 'scopebound.retries': 1 });
    const missing = named('GET /api/v2/users/{id}')[0]!;
    expect(missing.attributes).toMatchObject({ 'http.response.status_code': 404, 'error.type': '404' });
    expect(missing.status.code).toBe(2); // SpanStatusCode.ERROR

    const rm = await collect();
    expect(sum(rm, 'scopebound.management.rate_limited', { 'scopebound.operation': 'users.list' })).toBe(1);
    expect(sum(rm, 'scopebound.management.retries', { 'scopebound.retry.reason': 'rate-limit' })).toBeGreaterThanOrEqual(1);
    expect(sum(rm, 'scopebound.management.retries', { 'scopebound.retry.reason': 'server-error' })).toBeGreaterThanOrEqual(1);
    expect(sum(rm, 'http.client.request.duration', { 'scopebound.operation': 'users.get', 'error.type': '404' })).toBe(1);
    await mgmt.close();
  });

  it('a refused mint is an ERROR span with the error code (the grant lacks the scope)', async () => {
    spans.reset();
    const { mgmt } = client();
    await expect(mgmt.users.delete({ id: USER_ID })).rejects.toMatchObject({ code: 'ERR_TOKEN_ENDPOINT' });
    const mint = named('scopebound token mint')[0]!;
    expect(mint.attributes).toMatchObject({ 'scopebound.scopes.requested': ['delete:users'], 'error.type': 'ERR_TOKEN_ENDPOINT' });
    expect(mint.status.code).toBe(2);
    expect(named('DELETE /api/v2/users/{id}')[0]!.attributes).toMatchObject({ 'error.type': 'ERR_TOKEN_ENDPOINT', 'scopebound.attempts': 0 });
    await mgmt.close();
  });
});

describe('metrics', () => {
  it('mints, cache hits and misses', async () => {
    const before = await collect();
    const { mgmt } = client();
    for (let i = 0; i < 3; i++) await mgmt.users.get({ id: USER_ID });
    const after = await collect();
    const delta = (name: string, where?: Record<string, unknown>) => sum(after, name, where) - sum(before, name, where);
    expect(delta('scopebound.token.mints', { 'scopebound.outcome': 'ok' })).toBe(1);
    expect(delta('scopebound.token.cache.misses')).toBe(1);
    expect(delta('scopebound.token.cache.hits', { 'scopebound.token.cache': 'memory' })).toBe(2);
    await mgmt.close();
  });

  it('pacer queue depth and wait when the tenant bucket drains', async () => {
    const tight = createEmulator({ rateLimit: { tenant: { burst: 2, perSecond: 40 } }, clients: [{ ...CLIENT, grants: ['read:roles'] }] });
    const server = await tight.listen({ port: 0 });
    const mgmt = createManagementClient({ baseUrl: server.url, credentials: clientSecret(CLIENT), logger: false });
    await Promise.all(Array.from({ length: 12 }, () => mgmt.roles.list()));
    const rm = await collect();
    expect(sum(rm, 'scopebound.pacer.wait')).toBeGreaterThanOrEqual(1);
    const gauge = rm.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === 'scopebound.pacer.queue_depth');
    expect(gauge?.dataPoints.length).toBeGreaterThanOrEqual(1);
    await mgmt.close();
    await server.close();
    await tight.close();
  });
});

describe('secrets and personal data', () => {
  it('no exported span or metric holds a token, the client secret, a user id, an email, a query or a body', async () => {
    const c = client();
    await c.mgmt.users.get({ id: USER_ID });
    await c.mgmt.users.list({ q: QUERY, per_page: 5 });
    await c.mgmt.users.update({ id: USER_ID }, { app_metadata: { plan: PLAN } });
    await c.tokenValue(['read:users']);
    await c.tokenValue(['update:users_app_metadata']);
    expect(issued.length).toBeGreaterThanOrEqual(2);
    const exported = JSON.stringify({
      spans: finished().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, links: s.links })),
      metrics: await collect(),
    });
    expect(exported).toContain('users.update'); // the scan reads real output
    for (const needle of [CLIENT.clientSecret, USER_ID, encodeURIComponent(USER_ID), EMAIL, encodeURIComponent(EMAIL), QUERY, PLAN, ...issued]) {
      expect(exported).not.toContain(needle);
    }
    expect(exported).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
    await c.mgmt.close();
  });
});

describe('unsubscribe', () => {
  it('stops every span and leaves the channels without subscribers', async () => {
    const extra = instrumentScopebound({ tracerProvider, meterProvider });
    extra();
    extra(); // twice is harmless
    off();
    expect(dc.tracingChannel(CHANNELS.request).hasSubscribers).toBe(false);
    expect(dc.tracingChannel(CHANNELS.mint).hasSubscribers).toBe(false);
    expect(dc.channel(CHANNELS.tokenEvent).hasSubscribers).toBe(false);
    spans.reset();
    const { mgmt } = client();
    await mgmt.users.get({ id: USER_ID });
    expect(finished()).toEqual([]);
    await mgmt.close();
    off = instrumentScopebound({ tracerProvider, meterProvider });
  });
});
