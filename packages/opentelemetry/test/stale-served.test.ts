/**
 * `scopebound.token.stale_served` over real HTTP: a token minted by the emulator on 127.0.0.1, then the token
 * endpoint fails (503, then a dropped connection) while the token is inside its refresh window; the provider
 * serves the cached token and the Management API calls still succeed. The in-memory metric exporter must count
 * exactly the stale serves, with no attribute that holds a token or secret; a healthy endpoint counts none.
 * One injected clock drives the emulator, the token provider and the client: no sleeping.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { createEmulator, type Emulator } from '@scopebound/emulator';
import { createManagementClient } from '@scopebound/management';
import { clientSecret, createTokenProvider, scopeNeed } from '@scopebound/token';
import { instrumentScopebound } from '../src/index';

const CLIENT = { clientId: 'otel-stale-app', clientSecret: 'otel-stale-secret-value-c41e' };
const TOKEN_TTL_S = 3_600;
const REFRESH_AHEAD_MS = 60_000;
const BACKOFF_MIN_MS = 10_000;
const STALE = 'scopebound.token.stale_served';

/** The shared clock (epoch ms): moved only by the test. */
let now = Date.UTC(2030, 0, 1);
const clock = () => now;

let emu: Emulator;
let url: string;
let closeServer: () => Promise<void>;

beforeAll(async () => {
  emu = createEmulator({ clock: { now: clock }, tokenTtl: TOKEN_TTL_S, narrowScopes: true, rateLimit: false, clients: [{ ...CLIENT, grants: ['read:roles'] }] });
  const server = await emu.listen({ port: 0 });
  url = server.url;
  closeServer = () => server.close();
});
afterAll(async () => {
  await closeServer();
  await emu.close();
});

/**
 * Its own meter and tracer providers (so "absent" means never recorded), a provider on the shared clock with
 * no jitter (`random` 0: refresh exactly `refreshAhead` before expiry, back-off exactly half its exponential
 * step), and a client on that provider; `stale` counts the provider's own 'stale-served' events.
 */
function setup() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const off = instrumentScopebound({ tracerProvider, meterProvider });
  const tokens = createTokenProvider({
    baseUrl: url,
    credentials: clientSecret(CLIENT),
    clock,
    random: () => 0,
    refreshAhead: REFRESH_AHEAD_MS,
    backoff: { minMs: BACKOFF_MIN_MS, maxMs: 60_000 },
  });
  const staleCodes: string[] = [];
  tokens.on('stale-served', (event) => staleCodes.push(event.errorCode));
  const mgmt = createManagementClient({ baseUrl: url, tokens, clock, logger: false, sleep: async () => {}, retry: { jitter: false } });
  async function collect(): Promise<ResourceMetrics> {
    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    return resourceMetrics;
  }
  /** A Management API call that must succeed. */
  async function call(): Promise<void> {
    const roles = await mgmt.roles.list();
    expect(Array.isArray(roles)).toBe(true);
  }
  async function close() {
    off();
    await tokens.settle();
    await mgmt.close();
    await meterProvider.shutdown();
    await tracerProvider.shutdown();
  }
  return { spans, tokens, mgmt, staleCodes, collect, call, close };
}

type Point = { attributes: Record<string, unknown>; value: number | { count: number } };

function points(rm: ResourceMetrics, name: string): Point[] {
  return rm.scopeMetrics
    .flatMap((s) => s.metrics)
    .filter((m) => m.descriptor.name === name)
    .flatMap((m) => m.dataPoints as Point[]);
}

/** A counter's total, or a histogram's count, over the points whose attributes include `where`. */
const sum = (rm: ResourceMetrics, name: string, where: Record<string, unknown> = {}) =>
  points(rm, name)
    .filter((p) => Object.entries(where).every(([k, v]) => p.attributes[k] === v))
    .reduce((n, p) => n + (typeof p.value === 'number' ? p.value : p.value.count), 0);

/** The token endpoint's answers since `from` (journal sequence number), from the emulator's journal. */
const tokenAnswers = (from: number) =>
  emu.journal
    .list({ operation: 'oauth.token', clientId: CLIENT.clientId })
    .filter((e) => e.seq > from)
    .map((e) => (e.fault !== undefined ? `${e.status} fault` : String(e.status)));

const lastSeq = () => emu.journal.list({ limit: 1 })[0]?.seq ?? 0;

it('the token endpoint fails inside the refresh window: the cached token is served and each stale serve is counted once', async () => {
  const t = setup();
  const from = lastSeq();
  try {
    await t.call(); // mint at t0
    const minted = await t.tokens.getToken(scopeNeed([['read:roles']])); // a fresh memory hit: the token to scan for
    const expiresAt = minted.expiresAt;
    expect(expiresAt).toBe(now + TOKEN_TTL_S * 1000);

    // Down: 503 on every token request. Into the refresh window (30 s before expiry, well before the 6 s margin).
    const outage = await emu.admin.addFault({ match: { operation: 'oauth.token', clientId: CLIENT.clientId }, status: 503 });
    now = expiresAt - 30_000;
    await t.call(); // served as is (not stale yet), starts the background refresh, which gets the 503
    await t.tokens.settle();
    for (let i = 0; i < 3; i++) await t.call(); // back-off in force: stale serves 1–3
    expect(t.staleCodes).toEqual(['ERR_TOKEN_ENDPOINT', 'ERR_TOKEN_ENDPOINT', 'ERR_TOKEN_ENDPOINT']);
    expect(sum(await t.collect(), STALE)).toBe(3);

    // The first back-off (half of 10 s) passes; now the connection is dropped.
    await emu.admin.removeFault(outage);
    await emu.admin.addFault({ match: { operation: 'oauth.token', clientId: CLIENT.clientId }, drop: true });
    now += BACKOFF_MIN_MS / 2;
    await t.call(); // a new refresh starts (this serve is not stale) and fails
    await t.tokens.settle();
    for (let i = 0; i < 2; i++) await t.call(); // stale serves 4–5
    expect(t.staleCodes.slice(3)).toEqual(['ERR_TOKEN_NETWORK', 'ERR_TOKEN_NETWORK']);

    // Healed: after the second back-off (10 s) a refresh succeeds and the new token is served fresh.
    await emu.admin.clearFaults();
    now += BACKOFF_MIN_MS;
    expect(now).toBeLessThan(expiresAt - 6_000); // every serve above was of a still-usable token
    await t.call(); // starts the refresh, which succeeds
    await t.tokens.settle();
    await t.call();
    const after = await t.tokens.getToken(scopeNeed([['read:roles']]));
    expect(after.expiresAt).toBe(now + TOKEN_TTL_S * 1000);

    const rm = await t.collect();
    expect(t.staleCodes).toHaveLength(5);
    expect(sum(rm, STALE)).toBe(5);
    expect(points(rm, STALE).map((p) => p.attributes)).toEqual([{}]);
    expect(sum(rm, 'scopebound.token.mints', { 'scopebound.token.kind': 'mint', 'scopebound.outcome': 'ok' })).toBe(1);
    expect(sum(rm, 'scopebound.token.mints', { 'scopebound.token.kind': 'refresh', 'scopebound.outcome': 'error' })).toBe(2);
    expect(sum(rm, 'scopebound.token.mints', { 'scopebound.token.kind': 'refresh', 'scopebound.outcome': 'ok' })).toBe(1);
    expect(sum(rm, 'http.client.request.duration', { 'scopebound.operation': 'roles.list', 'http.response.status_code': 200 })).toBe(10);
    // Every call's span: answered 200, the first with a minted token, the rest from the in-process cache; the
    // refresh spans carry the failures.
    const finished = t.spans.getFinishedSpans();
    const calls = finished.filter((s) => s.name === 'GET /api/v2/roles');
    expect(calls.map((s) => s.attributes['http.response.status_code'])).toEqual(Array(10).fill(200));
    expect(calls.map((s) => s.attributes['scopebound.token.source'])).toEqual(['mint', ...Array(9).fill('cache')]);
    const refreshes = finished.filter((s) => s.name === 'scopebound token refresh');
    expect(refreshes.map((s) => s.attributes['error.type'])).toEqual(['ERR_TOKEN_ENDPOINT', 'ERR_TOKEN_NETWORK', undefined]);
    // The tenant saw: the mint, the 503, the dropped request, the successful refresh.
    expect(tokenAnswers(from)).toEqual(['200', '503 fault', expect.stringMatching(/ fault$/), '200']);

    const exported = JSON.stringify({
      spans: finished.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, links: s.links })),
      metrics: rm,
    });
    expect(exported).toContain(STALE); // the scan reads real output
    for (const needle of [CLIENT.clientSecret, minted.value, after.value]) expect(exported).not.toContain(needle);
    expect(exported).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
  } finally {
    await emu.admin.clearFaults();
    await t.close();
  }
});

it('negative control: the same refresh window with a healthy endpoint serves nothing stale', async () => {
  const t = setup();
  const from = lastSeq();
  try {
    await t.call();
    const { expiresAt } = await t.tokens.getToken(scopeNeed([['read:roles']]));
    now = expiresAt - 30_000;
    await t.call(); // starts the background refresh, which succeeds
    await t.tokens.settle();
    for (let i = 0; i < 3; i++) await t.call();

    const rm = await t.collect();
    expect(t.staleCodes).toEqual([]);
    expect(points(rm, STALE)).toEqual([]);
    expect(sum(rm, STALE)).toBe(0);
    // The control ran the same path: a mint and a refresh, both answered.
    expect(sum(rm, 'scopebound.token.mints', { 'scopebound.token.kind': 'refresh', 'scopebound.outcome': 'ok' })).toBe(1);
    expect(tokenAnswers(from)).toEqual(['200', '200']);
    expect(sum(rm, 'http.client.request.duration', { 'scopebound.operation': 'roles.list', 'http.response.status_code': 200 })).toBe(5);
  } finally {
    await t.close();
  }
});
