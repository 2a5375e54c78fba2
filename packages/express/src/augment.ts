/** `req.auth0` on Express's Request type (Express 4 and 5 both declare the global `Express.Request`). */
import type { Auth0View } from '@scopebound/management/adapter';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The lazy Scopebound view of this request (set by `scopebound()`; narrowed by `allowScopes()`). */
      auth0: Auth0View;
    }
  }
}

export type { Auth0View };
