/** The in-process host: a fetch-compatible function; the URL's host is ignored, only the path counts. */
import type { HandleContext } from '../core';
import { EmulatorError } from '../errors';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export function createFetchHost(handle: (request: Request, context?: HandleContext) => Promise<Response>, domain: string): FetchLike {
  return async (input, init) => {
    let request: Request;
    if (typeof input === 'string' && input.startsWith('/')) request = new Request(`https://${domain}${input}`, init);
    else request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const response = await handle(request, { peer: 'in-process' });
    if (response.type === 'error') {
      throw new TypeError('fetch failed', {
        cause: new EmulatorError('ERR_EMULATOR_CONNECTION_DROPPED', 'The emulator dropped the connection (fault injection).'),
      });
    }
    return response;
  };
}
