/**
 * The client's diagnostics channels over real HTTP (node:http on 127.0.0.1, undici transport): one
 * `scopebound:management:request` trace per call with its counters, the event channel, and the logger.
 */
import * as dc from 'node:diagnostics_channel';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '@scopebound/token/diagnostics';
import { createManagementClient, type ManagementEvent, type ManagementRequestContext } from '../src/index';
import { fakeTokens, recordingSleep } from './helpers';
import { startLoopback } from './loopback';

let api: Awaited<ReturnType<typeof startLoopback>>;
beforeAll(async () => (api = await startLoopback()));
afterAll(() => api.close());

interface Seen {
  phase: string;
  ctx: ManagementRequestContext;
}

function subscribeRequests() {
  const seen: Seen[] = [];
  const on = (phase: string) => (ctx: unknown) => seen.push({ phase, ctx: ctx as ManagementRequestContext });
  const handlers = { start: on('start'), end: on('end'), asyncStart: on('asyncStart'), asyncEnd: on('asyncEnd'), error: on('error') };
  const channel = dc.tracingChannel(CHANNELS.request);
  channel.subscribe(handlers);
  return { seen, off: () => channel.unsubscribe(handlers) };
}

function client(extra: Parameters<typeof createManagementClient>[0] extends infer O ? Partial<O> : never = {}) {
  const { sleep } = recordingSleep();
  return createManagementClient({ baseUrl: api.baseUrl, tokens: fakeTokens(), sleep, retry: { jitter: false }, logger: false, ...extra });
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => (_req: unknown, res: import('node:http').ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

describe('scopebound:management:request', () => {
  let sub: ReturnType<typeof subscribeRequests>;
  beforeAll(() => (sub = subscribeRequests()));
  afterAll(() => sub.off());
  afterEach(() => sub.seen.splice(0));

  it('traces one call: start, end, asyncStart, asyncEnd on one context with the operation, scopes and status', async () => {
    api.setHandler(json(200, { user_id: 'auth0|secret-user', email: 'pii@example.com' }));
    const mgmt = client();
    const user = await mgmt.users.get({ id: 'auth0|secret-user' });
    expect(user).toMatchObject({ email: 'pii@example.com' });
    expect(sub.seen.map((s) => s.phase)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    const ctx = sub.seen[0]!.ctx;
    expect(sub.seen.every((s) => s.ctx === ctx)).toBe(true);
    expect(ctx).toMatchObject({
      operation: 'users.get',
      method: 'GET',
      route: '/api/v2/users/{id}',
      origin: api.baseUrl,
      urlTemplate: `${api.baseUrl}/api/v2/users/{id}`,
      userToken: false,
      attempts: 1,
      status: 200,
      scopes: ['read:users'],
      retries: 0,
      rateLimitRetries: 0,
      reauthenticated: false,
    });
    expect(ctx.alternatives[0]).toEqual(['read:users']);
    // The body is the caller's, not the channel's: no result, no ids, no PII on the context.
    expect((ctx as { result?: unknown }).result).toBeUndefined();
    expect(JSON.stringify(ctx)).not.toMatch(/secret-user|pii@example/);
    await mgmt.close();
  });

  it('counts retries, 429 waits and a 401 re-mint, and ends in error with the typed error', async () => {
    const answers = [
      json(503, { statusCode: 503, error: 'Service Unavailable', message: 'down' }),
      json(429, { statusCode: 429, error: 'Too Many Requests', message: 'slow down' }, { 'retry-after': '2' }),
      json(401, { statusCode: 401, error: 'Unauthorized', message: 'expired' }),
      json(200, [{ name: 'r' }]),
    ];
    let i = 0;
    api.setHandler((req, res) => answers[Math.min(i++, answers.length - 1)]!(req, res));
    const mgmt = client();
    await mgmt.roles.list();
    const ctx = sub.seen.find((s) => s.phase === 'asyncEnd')!.ctx;
    expect(ctx).toMatchObject({ operation: 'roles.list', attempts: 4, status: 200, retries: 1, rateLimitRetries: 1, reauthenticated: true });
    expect(ctx.rateLimitWaitMs).toBeGreaterThanOrEqual(2000);
    sub.seen.splice(0);

    api.setHandler(json(404, { statusCode: 404, error: 'Not Found', message: 'no such user', errorCode: 'inexistent_user' }));
    await expect(mgmt.users.get({ id: 'nobody' })).rejects.toMatchObject({ code: 'ERR_MANAGEMENT_API', status: 404 });
    expect(sub.seen.map((s) => s.phase)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(sub.seen[0]!.ctx).toMatchObject({ status: 404, attempts: 1, error: { code: 'ERR_MANAGEMENT_API' } });
    await mgmt.close();
  });
});

describe('scopebound:management:event and the logger', () => {
  it('publishes the client events only while subscribed, and logs a re-mint through the logger', async () => {
    const events: ManagementEvent[] = [];
    const listener = (e: unknown) => events.push(e as ManagementEvent);
    const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
    const at = (level: string) => (fields: Record<string, unknown>, message: string) => lines.push({ level, fields, message });
    const logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
    const mgmt = client({ logger });
    api.setHandler(json(200, []));
    await mgmt.roles.list();
    expect(events).toEqual([]);
    dc.subscribe(CHANNELS.managementEvent, listener);
    try {
      await mgmt.roles.list();
      expect(events.map((e) => e.type)).toEqual(['request', 'response']);
      let first = true;
      api.setHandler((req, res) => {
        json(first ? 401 : 200, first ? { statusCode: 401, error: 'Unauthorized', message: 'x' } : [])(req, res);
        first = false;
      });
      await mgmt.roles.list();
    } finally {
      dc.unsubscribe(CHANNELS.managementEvent, listener);
    }
    expect(events.map((e) => e.type)).toContain('reauth');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', fields: expect.objectContaining({ type: 'reauth', operation: 'roles.list' }), message: expect.stringContaining('re-minted once') }),
    ]);
    await mgmt.close();
  });

  it('refuses a logger that is not pino-compatible, naming the option', () => {
    expect(() => client({ logger: { warn() {} } as never })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', option: 'logger' }));
  });
});
