/** `ctx.auth0` and `ctx.state.auth0` on Koa's types (@types/koa, used by Koa 2 and 3). */
import type { Auth0View } from '@scopebound/management/adapter';
import type {} from 'koa';

declare module 'koa' {
  interface DefaultContext {
    /** The lazy Scopebound view of this request (set by `scopebound()`; narrowed by `allowScopes()`). */
    auth0: Auth0View;
  }
  interface DefaultState {
    /** Same view as `ctx.auth0`, for code that only sees `ctx.state`. */
    auth0: Auth0View;
  }
}

export type { Auth0View };
