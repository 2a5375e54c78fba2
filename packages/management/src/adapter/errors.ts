import { ScopeboundError } from '@scopebound/token';

/** Errors the adapters throw themselves. Same house style as the core: a stable `code`, a `status`. */

/** `auth0.asUser()` was called on a request that carries no `Authorization: Bearer …` header. */
export class MissingUserTokenError extends ScopeboundError {
  static override readonly code: string = 'ERR_MISSING_USER_TOKEN';
  declare readonly code: 'ERR_MISSING_USER_TOKEN';
  readonly status = 401;
  constructor() {
    super(
      'ERR_MISSING_USER_TOKEN',
      "auth0.asUser() needs the request's own access token, but the request has no `Authorization: Bearer <token>` header. " +
        'Authenticate the user first, pass the token explicitly (asUser(token)), or set the `userToken` option.',
    );
  }
}
