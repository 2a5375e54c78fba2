import {
  InsufficientScopeError,
  ManagementApiError,
  RateLimitError,
  type ManagementClient,
} from '@scopebound/management';

export async function findUser(mgmt: ManagementClient, id: string) {
  try {
    return await mgmt.users.get({ id });
  } catch (err) {
    if (err instanceof InsufficientScopeError) {
      // The application lacks a grant: err.requiredScopes vs err.tokenScopes
      throw err;
    }
    if (err instanceof RateLimitError) {
      // Rate limited longer than retry.maxRateLimitWaitMs allows: err.resetAt is when to come back.
      throw err;
    }
    if (err instanceof ManagementApiError && err.errorCode === 'inexistent_user') return undefined;
    throw err;
  }
}
