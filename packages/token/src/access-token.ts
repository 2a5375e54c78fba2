/** The token handed to callers: `value` is readable, but printing or serialising the object never shows it. */
import type { AccessToken, StoredToken } from './types';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

export function createAccessToken(stored: StoredToken): AccessToken {
  const pub = {
    scopes: Object.freeze([...stored.scopes]),
    expiresAt: stored.expiresAt,
    clientId: stored.clientId,
  };
  const token = { ...pub } as AccessToken;
  Object.defineProperty(token, 'value', { value: stored.accessToken, enumerable: false });
  Object.defineProperty(token, 'toJSON', { value: () => ({ ...pub, value: '[redacted]' }), enumerable: false });
  Object.defineProperty(token, 'toString', { value: () => '[AccessToken]', enumerable: false });
  Object.defineProperty(token, inspectSymbol, {
    value: () => `AccessToken ${JSON.stringify({ ...pub, value: '[redacted]' })}`,
    enumerable: false,
  });
  return Object.freeze(token);
}
