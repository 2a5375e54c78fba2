// @scopebound/token public surface
export type { AccessToken, GetTokenOptions, Lease, StoredToken, TokenSource, TokenStore } from './types';
export { createTokenProvider } from './provider/provider';
export type { TokenEvent, TokenEventType, TokenProvider, TokenProviderOptions } from './provider/provider';
export { memoryStore } from './memory-store';
export type { MemoryStore, MemoryStoreOptions } from './memory-store';
export type { Credential, CredentialKind } from './credential';
// Option validators, shared with @scopebound/management so both packages validate alike, at construction.
export { validateCredentials } from './credential';
export { isLoopbackHost, resolveEndpoint, validateBaseUrl, validateDomain } from './endpoint-options';
export type { Endpoint } from './endpoint-options';
export { clientSecret } from './credentials/client-secret';
export type { ClientSecretOptions } from './credentials/client-secret';
export { privateKeyJwt } from './credentials/private-key-jwt';
export type { CryptoKeyLike, KeyObjectLike, PrivateKeyJwtAlg, PrivateKeyJwtOptions } from './credentials/private-key-jwt';
export { legacyScopes, signedSecret } from './credentials/signed-secret';
export { CREDENTIALS_FORMAT, credentialsFromJson } from './credentials/credentials-file';
export type { CredentialsFile } from './credentials/credentials-file';
export type { SecretValue, SignedSecretOptions } from './credentials/signed-secret';
export {
  closestScopes,
  closestNames,
  covers,
  isKnownScope,
  isSpecialScope,
  missingScopes,
  normalizeScopes,
  parseScopes,
  sameScopes,
  scopeKey,
  validateScopes,
} from './scopes';
export type { ScopeName, ValidateScopesOptions } from './scopes';
export { SCOPES, SPECIAL_SCOPES } from './generated/scopes';
export type { Scope, SpecialScope } from './generated/scopes';
/** @deprecated internal helpers; kept for compatibility (parseRetryAfter now lives in `@scopebound/token/http`). */
export { parseQuotaHeader } from './quota';
/** @deprecated use `@scopebound/token/http`. */
export { parseRetryAfter } from './http/retry-after';
export type { QuotaLimit } from './quota';
export { ScopeboundError, isScopeboundError } from './scopebound-error';
export { consoleLogger, isLogger, resolveLogger } from './logger';
export type { Log, LogFields, LogLevel, Logger } from './logger';
export { scopeNeed, isScopeNeed, needFrom } from './scope-need';
export type { ScopeNeed } from './scope-need';
export {
  AbortedError,
  CredentialError,
  InsufficientGrantError,
  InvalidOptionError,
  InvalidTokenResponseError,
  NoCoveringCredentialError,
  SpecialScopeError,
  TokenEndpointError,
  TokenError,
  TokenNetworkError,
  TokenRateLimitError,
  TokenTimeoutError,
  UnknownScopeError,
} from './errors';
export type { TokenErrorCode } from './errors';
