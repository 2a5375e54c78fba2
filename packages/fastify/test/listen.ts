/** A Fastify app on 127.0.0.1:0 (its own server), closed with the app. */
import type { FastifyInstance } from 'fastify';

export async function listen(app: FastifyInstance): Promise<{ url: string; close(): Promise<void> }> {
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}
