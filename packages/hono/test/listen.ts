/** A Hono app on 127.0.0.1:0 through @hono/node-server's request listener. */
import type { RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { serve } from './helpers';

export function listen(app: Hono<any>): ReturnType<typeof serve> {
  return serve(getRequestListener(app.fetch) as unknown as RequestListener);
}
