import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { redisStore, RedisUnavailableError, type RedisStore, type RedisStoreEvent } from '../src/index';
import { CLIENT_KINDS, connect, eventually, ownRedis, rawClient, sampleToken, type OwnRedis, type TestClient } from './helpers';

async function settle(promises: Promise<unknown>[]): Promise<PromiseSettledResult<unknown>[]> {
  return Promise.allSettled(promises);
}

function reasons(results: PromiseSettledResult<unknown>[]): string[] {
  return results.map((r) => (r.status === 'rejected' ? (r.reason as RedisUnavailableError).reason : 'ok'));
}

describe.each(CLIENT_KINDS)('degradation with %s (own redis-server)', (kind) => {
  let server: OwnRedis;
  let client: TestClient;
  let admin: Redis;

  beforeAll(async () => {
    server = await ownRedis();
    client = await connect(kind, server.port);
    admin = await rawClient(server.port);
  });
  afterAll(async () => {
    admin?.disconnect();
    await client?.close();
    await server?.kill();
  });

  it('bounds every command by commandTimeoutMs when Redis is slow, logs once, probes, recovers', async () => {
    const events: RedisStoreEvent[] = [];
    const warnings: string[] = [];
    const infos: string[] = [];
    const fields: Record<string, unknown>[] = [];
    // A pino-compatible logger gets (fields, message); the message-only form is covered by the next test.
    const line = (into: string[]) => (f: Record<string, unknown>, m: string) => (fields.push(f), into.push(m));
    const store = redisStore({
      client: client.client,
      prefix: 'slow:',
      commandTimeoutMs: 100,
      onEvent: (e) => events.push(e),
      logger: { debug: line([]), info: line(infos), warn: line(warnings), error: line([]) },
    });
    await store.set('k', sampleToken(), 60_000);
    await admin.call('CLIENT', 'PAUSE', '800', 'ALL');

    const first = await settle([store.get('k')]);
    expect(reasons(first)).toEqual(['timeout']);
    expect((first[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'ERR_REDIS_UNAVAILABLE', command: 'GET' });

    // While down, one probe runs (bounded by the timeout) and the rest fail fast.
    const burst = reasons(await settle(Array.from({ length: 20 }, () => store.get('k'))));
    expect(burst.filter((r) => r === 'recovering')).toHaveLength(19);
    expect(burst.filter((r) => r === 'timeout')).toHaveLength(1);

    await eventually(async () => (await store.get('k').catch(() => undefined)) !== undefined, 100, 50);
    expect(events.filter((e) => e.type === 'unavailable')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'recovered')).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('commandTimeoutMs');
    expect(infos).toHaveLength(1);
    expect(fields).toEqual([
      expect.objectContaining({ scopebound: 'redis', type: 'unavailable', command: 'GET', reason: 'timeout' }),
      expect.objectContaining({ scopebound: 'redis', type: 'recovered' }),
    ]);
    expect(store.health().available).toBe(true);
    await store.close();
  });

  it('fails fast while the server is down, never rejects a release, and recovers (pub/sub too) after a restart', async () => {
    const events: RedisStoreEvent[] = [];
    const warnings: string[] = [];
    const store: RedisStore = redisStore({
      client: client.client,
      prefix: 'down:',
      commandTimeoutMs: 200,
      pollIntervalMs: 600_000, // only pub/sub can wake the waiter at the end
      onEvent: (e) => events.push(e),
      logger: { warn: (m: string) => warnings.push(m) },
    });
    const writer = redisStore({ client: client.client, prefix: 'down:', logger: false });
    const token = sampleToken();
    await store.set('k', token, 60_000);
    const lease = await store.lease('k-lease', 60_000);
    expect(lease).toBeDefined();
    const primer = store.waitFor('k-primer', 50); // creates the subscriber
    await eventually(() => store.health().subscriber === 'ready');
    await primer;

    await server.kill();
    await eventually(async () => (await store.get('k').catch((e: unknown) => e)) instanceof RedisUnavailableError, 100, 20);

    const results = await settle([
      ...Array.from({ length: 50 }, () => store.get('k')),
      store.set('k2', token, 60_000),
      store.delete('k'),
      store.lease('k3', 1_000),
      store.waitFor('k4', 5_000),
    ]);
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof RedisUnavailableError)).toBe(true);
    expect(new Set(reasons(results))).toEqual(new Set(['not-ready']));
    await expect(lease!.release()).resolves.toBeUndefined();
    expect(events.filter((e) => e.type === 'unavailable')).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(store.health().available).toBe(false);

    await server.start();
    await eventually(async () => (await store.get('k').catch(() => 'down')) !== 'down', 200, 25);
    expect(events.filter((e) => e.type === 'recovered')).toHaveLength(1);
    expect(store.health().available).toBe(true);

    // The subscriber reconnected and resubscribed: a set wakes a waiter without polling.
    await eventually(async () => {
      const probe = store.waitFor('k-probe', 100);
      await writer.set('k-probe', token, 60_000);
      const got = await probe;
      await writer.delete('k-probe');
      return got !== undefined;
    }, 50, 100);
    const waiting = store.waitFor('k-after', 20_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await writer.set('k-after', token, 60_000);
    expect(await Promise.race([waiting, new Promise((r) => setTimeout(() => r('no notification'), 3_000))])).toEqual(token);
    await store.close();
    await writer.close();
  });
});

describe('secrets in failures', () => {
  it('never puts a token into an error, its JSON, inspect output, events or logs', async () => {
    const token = sampleToken();
    const leaky = Object.assign(new Error('ERR something went wrong'), {
      name: 'ReplyError',
      command: { name: 'eval', args: ['script', 1, 'key', token.accessToken] },
    });
    const client = {
      status: 'ready',
      call: async () => null,
      duplicate: () => ({}),
      get: async () => null,
      set: async () => null,
      del: async () => 0,
      eval: async () => {
        throw leaky;
      },
    };
    const events: RedisStoreEvent[] = [];
    const logs: string[] = [];
    const store = redisStore({ client: client as any, onEvent: (e) => events.push(e), logger: { warn: (m: string) => logs.push(m) } });
    const error = await store.set('k', token, 60_000).then(
      () => undefined,
      (e: unknown) => e as RedisUnavailableError,
    );
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(error!.reason).toBe('error');
    expect(error!.message).toContain('ERR something went wrong');
    for (const text of [error!.message, JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(events), logs.join('\n')]) {
      expect(text).not.toContain(token.accessToken);
    }
    expect(error!.cause).toBeUndefined();
  });
});
