/**
 * msw v2 handlers routing `https://{domain}/*` to an emulator: the `@scopebound/emulator/msw` entry. Its types
 * import msw (an optional peer), so they live here and never in the main entry's declarations.
 */
import { http, HttpResponse, type RequestHandler } from 'msw';
import type { Emulator } from '../emulator-type';

/** `setupServer(...mswHandlers(tenant))`: every request to the tenant's domain is answered by the emulator. */
export function mswHandlers(emulator: Pick<Emulator, 'domain' | 'handle'>): RequestHandler[] {
  return [
    http.all(`https://${emulator.domain}/*`, async ({ request }) => {
      const response = await emulator.handle(request, { peer: 'in-process' });
      return response.type === 'error' ? HttpResponse.error() : response;
    }),
  ];
}
