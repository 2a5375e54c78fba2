/** `request.auth0` and `config.allowScopes` on Fastify's types. */
import type { Auth0View } from '@scopebound/management/adapter';
import type {} from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The lazy Scopebound view of this request (set by `scopebound()`; narrowed by the route's allow-list). */
    auth0: Auth0View;
  }
  interface FastifyContextConfig {
    /** The scopes `request.auth0` may use in this route (validated when the route is registered). */
    allowScopes?: string | readonly string[];
  }
}

export type { Auth0View };
