/** msw v2 handlers for `https://{domain}/*`, imported lazily so msw stays an optional peer dependency. */
import { EmulatorError } from '../errors';
import type { Handle } from '../handle-context';
import { webResponse } from '../light-http';

export async function createMswHandlers(handle: Handle, domain: string) {
  let msw: typeof import('msw');
  try {
    msw = await import('msw');
  } catch (error) {
    throw new EmulatorError('ERR_EMULATOR_MSW_MISSING', 'mswHandlers() needs the msw package: install msw@2 in your project.', { cause: error });
  }
  return [
    msw.http.all(`https://${domain}/*`, async ({ request }) => {
      const response = await handle(request, { peer: 'in-process' });
      return response.type === 'error' ? msw.HttpResponse.error() : webResponse(response);
    }),
  ];
}
