/** The in-process host: a fetch-compatible function; the URL's host is ignored, only the path counts. */
import { EmulatorError } from '../errors';
import type { Handle } from '../handle-context';
import { webResponse } from '../light-http';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export function createFetchHost(handle: Handle, domain: string): FetchLike {
  return async (input, init) => {
    let request: Request;
    if (typeof input === 'string' && input.startsWith('/')) request = new Request(`https://${domain}${input}`, init);
    else request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const response = await handle(request, { peer: 'in-process' });
    if (response.type === 'error') {
      // Deliberately a TypeError, not a ScopeboundError: it mimics fetch's own contract for a network failure,
      // and HTTP clients (ours included) test for `TypeError` to classify it as one. The cause says why.
      throw new TypeError('fetch failed', {
        cause: new EmulatorError('ERR_EMULATOR_CONNECTION_DROPPED', 'The emulator dropped the connection (fault injection).'),
      });
    }
    return webResponse(response);
  };
}
