import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { createManagementClient, InvalidResponseError, ResultWindowError, type ManagementEvent } from '../src/index';
import { API, DOMAIN, fakeTokens, globalFetch, mswServer } from './helpers';

const server = mswServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function client() {
  const events: ManagementEvent[] = [];
  const mgmt = createManagementClient({ domain: DOMAIN, tokens: fakeTokens(), fetch: globalFetch, retry: false, onEvent: (e) => events.push(e) });
  return { mgmt, events };
}

async function collect<T>(it: AsyncIterable<T>, max = 10_000): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) {
    out.push(x);
    if (out.length > max) throw new Error('runaway iterator');
  }
  return out;
}

/** An offset endpoint over `total` users that honours page/per_page/include_totals. */
function offsetUsers(total: number, queries: URLSearchParams[]) {
  server.use(
    http.get(`${API}/users`, ({ request }) => {
      const q = new URL(request.url).searchParams;
      queries.push(q);
      const page = Number(q.get('page') ?? 0);
      const perPage = Number(q.get('per_page') ?? 50);
      if ((page + 1) * perPage > 1000) return HttpResponse.json({ statusCode: 400, message: 'You can only page through the first 1000 records.' }, { status: 400 });
      const start = page * perPage;
      const users = Array.from({ length: Math.max(0, Math.min(perPage, total - start)) }, (_, i) => ({ user_id: `u${start + i}` }));
      return q.get('include_totals') === 'true' ? HttpResponse.json({ start, limit: perPage, length: users.length, total, users }) : HttpResponse.json(users);
    }),
  );
}

describe('offset pagination', () => {
  it('walks pages with include_totals and stops at the total', async () => {
    const { mgmt } = client();
    const queries: URLSearchParams[] = [];
    offsetUsers(120, queries);
    const users = await collect(mgmt.users.list.all({ per_page: 50, q: 'email:"a b"' }));
    expect(users.map((u) => u.user_id)).toEqual(Array.from({ length: 120 }, (_, i) => `u${i}`));
    expect(queries.map((q) => q.get('page'))).toEqual(['0', '1', '2']);
    expect(queries.every((q) => q.get('include_totals') === 'true' && q.get('q') === 'email:"a b"')).toBe(true);
  });

  it('stops on an exact multiple without an extra request when the total is known', async () => {
    const { mgmt } = client();
    const queries: URLSearchParams[] = [];
    offsetUsers(100, queries);
    expect(await collect(mgmt.users.list.all({ per_page: 50 }))).toHaveLength(100);
    expect(queries).toHaveLength(2);
  });

  it('refuses a walk the 1000-result offset window would cut (ResultWindowError), before any item', async () => {
    const { mgmt } = client();
    const queries: URLSearchParams[] = [];
    offsetUsers(5000, queries);
    const error = await collect(mgmt.users.list.all({ per_page: 100 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultWindowError);
    expect(error).toMatchObject({ code: 'ERR_RESULT_WINDOW', operation: 'users.list', limit: 1000, total: 5000 });
    expect(queries).toHaveLength(1);
  });

  it('with truncate: true stops cleanly at the 1000-result offset limit and reports it', async () => {
    const { mgmt, events } = client();
    const queries: URLSearchParams[] = [];
    offsetUsers(5000, queries);
    const users = await collect(mgmt.users.list.all({ per_page: 100 }, { truncate: true }));
    expect(users).toHaveLength(1000);
    expect(queries).toHaveLength(10);
    expect(events.find((e) => e.type === 'pagination-limit')).toMatchObject({ operation: 'users.list', fetched: 1000, limit: 1000, total: 5000 });
  });

  it('with a page size that does not divide 1000 it stops before the refused page', async () => {
    const { mgmt } = client();
    const queries: URLSearchParams[] = [];
    offsetUsers(5000, queries);
    const users = await collect(mgmt.users.list.all({ per_page: 30 }, { truncate: true }));
    expect(users).toHaveLength(990);
  });

  it('handles bare-array pages (no totals) and stops on a short page', async () => {
    const { mgmt } = client();
    const queries: URLSearchParams[] = [];
    offsetUsers(75, queries);
    const users = await collect(mgmt.users.list.all({ per_page: 50, include_totals: false }));
    expect(users).toHaveLength(75);
    expect(queries.every((q) => q.get('include_totals') === 'false')).toBe(true);
  });

  it('pages() yields raw page bodies; maxPages bounds the walk', async () => {
    const { mgmt } = client();
    const queries: URLSearchParams[] = [];
    offsetUsers(500, queries);
    const pages = await collect(mgmt.users.list.pages({ per_page: 10 }, { maxPages: 3 }));
    expect(pages).toHaveLength(3);
    expect(pages[0]).toMatchObject({ start: 0, total: 500 });
  });

  it('rejects a page that is not a list', async () => {
    const { mgmt } = client();
    server.use(http.get(`${API}/users`, () => HttpResponse.json('nope')));
    await expect(collect(mgmt.users.list.all())).rejects.toBeInstanceOf(InvalidResponseError);
  });
});

describe('checkpoint pagination', () => {
  it('follows next until it is absent', async () => {
    const { mgmt } = client();
    const seen: (string | null)[] = [];
    server.use(
      http.get(`${API}/users/:userId/sessions`, ({ request, params }) => {
        expect(params.userId).toBe('auth0|1');
        const q = new URL(request.url).searchParams;
        seen.push(q.get('from'));
        expect(q.get('take')).toBe('2');
        const from = Number(q.get('from') ?? 0);
        const sessions = [{ id: `s${from}` }, { id: `s${from + 1}` }].filter((s) => Number(s.id.slice(1)) < 5);
        return HttpResponse.json(from + 2 < 5 ? { sessions, next: String(from + 2) } : { sessions });
      }),
    );
    const sessions = await collect(mgmt.users.sessions.list.all({ user_id: 'auth0|1', take: 2 }));
    expect(sessions.map((s) => s.id)).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(seen).toEqual([null, '2', '4']);
  });

  it('stops on a repeated next (no infinite loop) and on an empty page', async () => {
    const { mgmt } = client();
    let calls = 0;
    server.use(
      http.get(`${API}/users/:id/sessions`, () => {
        calls++;
        return HttpResponse.json({ sessions: [{ id: `s${calls}` }], next: 'same' });
      }),
    );
    expect(await collect(mgmt.users.sessions.list.all({ user_id: 'u' }))).toHaveLength(2);
    expect(calls).toBe(2);

    server.use(http.get(`${API}/users/:id/sessions`, () => HttpResponse.json({ sessions: [], next: 'more' })));
    expect(await collect(mgmt.users.sessions.list.all({ user_id: 'u' }))).toEqual([]);
  });
});

describe('operations with both kinds', () => {
  function grants(queries: URLSearchParams[]) {
    server.use(
      http.get(`${API}/client-grants`, ({ request }) => {
        const q = new URL(request.url).searchParams;
        queries.push(q);
        if (q.has('page')) {
          const page = Number(q.get('page'));
          const client_grants = page < 2 ? [{ id: `g${page}a` }, { id: `g${page}b` }] : [];
          return HttpResponse.json({ start: page * 2, limit: 2, length: client_grants.length, total: 4, client_grants });
        }
        return q.get('from') ? HttpResponse.json({ client_grants: [{ id: 'c2' }] }) : HttpResponse.json({ client_grants: [{ id: 'c1' }], next: 'n1' });
      }),
    );
  }

  it('uses checkpoint by default', async () => {
    const { mgmt } = client();
    const queries: URLSearchParams[] = [];
    grants(queries);
    expect((await collect(mgmt.clientGrants.list.all())).map((g) => g.id)).toEqual(['c1', 'c2']);
    expect(queries[0]!.get('take')).toBe('50');
    expect(queries[0]!.has('page')).toBe(false);
  });

  it('uses offset when page/per_page is given, or mode: "offset"', async () => {
    const { mgmt } = client();
    const queries: URLSearchParams[] = [];
    grants(queries);
    expect((await collect(mgmt.clientGrants.list.all({ per_page: 2 }))).map((g) => g.id)).toEqual(['g0a', 'g0b', 'g1a', 'g1b']);
    expect(queries).toHaveLength(2);
    queries.length = 0;
    // A short first page (2 < 50) ends the walk.
    expect(await collect(mgmt.clientGrants.list.all(undefined, { mode: 'offset', offsetLimit: false }))).toHaveLength(2);
    expect(queries[0]!.get('per_page')).toBe('50');
    expect(queries[0]!.get('page')).toBe('0');
  });
});
