/** The test app of the conformance suite on Hono 4 (conformance-app.ts), served through @hono/node-server's request listener. */
import type { RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono as HonoClass } from 'hono';
import type { ErrorHandlerOptions, ScopeboundOptions } from '../src/index';
import { buildHonoApp } from './conformance-app';

/** The suite's resolvers read `req.headers[name]`: hand them the request's headers as a plain object. */
function withPlainHeaders(options: ScopeboundOptions): ScopeboundOptions {
  const tenant = options.tenant as ((req: unknown) => never) | undefined;
  if (!tenant) return options;
  return { ...options, tenant: (c) => tenant({ headers: Object.fromEntries(c.req.raw.headers) }) };
}

export function buildApp(Hono: typeof HonoClass, options: ScopeboundOptions, errorOptions: ErrorHandlerOptions = {}) {
  const { hono, middleware } = buildHonoApp(Hono, withPlainHeaders(options), errorOptions);
  return { app: getRequestListener(hono.fetch) as unknown as RequestListener, middleware, hono };
}
