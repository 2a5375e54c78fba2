/**
 * A Management API that echoes the caller's bearer token (in its error message, in headers): the token never
 * reaches an error's message, toJSON, inspect, stack, cause chain or headers, nor an event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManagementClient, ManagementApiError, type ManagementEvent } from '../../src/index';
import { fakeTokens } from '../helpers';
import { startLoopback } from '../loopback';
import { renderings } from '../../../token/test/renderings';

let fake: Awaited<ReturnType<typeof startLoopback>>;
beforeAll(async () => {
  fake = await startLoopback();
});
afterAll(async () => {
  await fake.close();
});

describe('an API echoing the bearer token', () => {
  it.each([400, 401, 429, 503])('HTTP %i: the token is in no error, header or event', async (status) => {
    fake.setHandler((req, res) => {
      const auth = String(req.headers.authorization);
      res.writeHead(status, { 'content-type': 'application/json', 'x-echo': auth, 'x-auth0-requestid': `rid ${auth}`, 'retry-after': '1' });
      res.end(JSON.stringify({ statusCode: status, error: 'Bad', message: `you sent ${auth} (raw ${auth.slice(7)})`, errorCode: 'echo' }));
    });
    const events: ManagementEvent[] = [];
    const tokens = fakeTokens();
    const mgmt = createManagementClient({ baseUrl: fake.baseUrl, tokens, retry: false, onEvent: (e) => events.push(e) });
    const error = await mgmt.users.get({ id: 'u1' }).catch((e: unknown) => e);
    await mgmt.close();
    expect(error).toBeInstanceOf(ManagementApiError);
    const text = renderings(error) + renderings(events);
    for (const token of tokens.issued) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.split('.')[1]);
    }
    expect(Object.keys((error as ManagementApiError).headers)).not.toContain('x-echo');
    expect((error as ManagementApiError).headers['retry-after']).toBe('1');
  });
});
