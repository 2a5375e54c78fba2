/** The core's calling convention, shared by every host: `handle(request, {peer})` → `Response`. */

/** Where a request came from: `'in-process'` (fetch/msw hosts) or the socket's remote address. */
export interface HandleContext {
  peer?: string;
}

/** The core's entry point as the hosts see it. */
export type Handle = (request: Request, context?: HandleContext) => Promise<Response>;
