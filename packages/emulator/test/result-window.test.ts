/**
 * `.all()` against the emulator over HTTP with more users than Auth0's offset window (1000): the walk is refused
 * with `ResultWindowError` (naming the export path) before any item is yielded, unless the caller opts into
 * truncation; a query whose results fit the window walks to the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManagementClient, ResultWindowError, type ManagementClient, type ManagementEvent } from '@scopebound/management';
import { ScopeboundError, clientSecret } from '@scopebound/token';
import { createEmulator, type Emulator } from '../src/index';

const USERS = 1203;

describe('the offset result window (users search: 1000 results)', () => {
  let em: Emulator;
  let close: () => Promise<void>;
  let mgmt: ManagementClient;
  const events: ManagementEvent[] = [];
  beforeAll(async () => {
    em = createEmulator({
      seed: {
        users: Array.from({ length: USERS }, (_, i) => ({
          email: `user${i}@example.com`,
          app_metadata: { plan: i < 40 ? 'pro' : 'free' },
        })),
      },
      clients: [{ clientId: 'reader', clientSecret: 'reader-secret', grants: ['read:users'] }],
      rateLimit: false,
    });
    const server = await em.listen({ port: 0 });
    mgmt = createManagementClient({
      baseUrl: server.url,
      credentials: clientSecret({ clientId: 'reader', clientSecret: 'reader-secret' }),
      onEvent: (e) => events.push(e),
    });
    close = async () => {
      await mgmt.close();
      await server.close();
      await em.close();
    };
  }, 60_000);
  afterAll(() => close?.());

  it('refuses a walk the window would cut, before yielding anything, naming the export path', async () => {
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const user of mgmt.users.list.all({ per_page: 100 })) seen.push(user);
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResultWindowError);
    expect(error).toBeInstanceOf(ScopeboundError);
    const e = error as ResultWindowError;
    expect(e.code).toBe('ERR_RESULT_WINDOW');
    expect(ResultWindowError.code).toBe('ERR_RESULT_WINDOW');
    expect({ operation: e.operation, limit: e.limit, total: e.total }).toEqual({ operation: 'users.list', limit: 1000, total: USERS });
    expect(e.message).toContain('scopebound export users');
    expect(e.message).toContain('exportUsers');
    expect(e.message).toContain('{ truncate: true }');
    expect(seen).toHaveLength(0);
    // One request: the first page's total was enough to know.
    expect(em.admin.journal.list({ operation: 'users.list' })).toHaveLength(1);
  });

  it('with { truncate: true } walks the window and stops there, with a pagination-limit event', async () => {
    const emails = new Set<string>();
    for await (const user of mgmt.users.list.all({ per_page: 100 }, { truncate: true })) emails.add(String(user.email));
    expect(emails.size).toBe(1000);
    expect(events.filter((e) => e.type === 'pagination-limit')).toEqual([
      { type: 'pagination-limit', operation: 'users.list', fetched: 1000, limit: 1000, total: USERS },
    ]);
  });

  it('a query whose results fit the window walks to the end', async () => {
    const pro: string[] = [];
    for await (const user of mgmt.users.list.all({ q: 'app_metadata.plan:pro', per_page: 25 })) pro.push(String(user.email));
    expect(pro).toHaveLength(40);
  });

  it('without totals the window is found at the end of the window', async () => {
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const user of mgmt.users.list.all({ per_page: 100, include_totals: false })) seen.push(user);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultWindowError);
    expect((error as ResultWindowError).total).toBeUndefined();
    expect(seen).toHaveLength(1000);
  });
});
