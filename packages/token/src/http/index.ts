// @scopebound/token/http: the HTTP helpers every Scopebound package shares (Retry-After, header numbers,
// size-capped bodies, JWT payloads). For Scopebound's own packages; not part of the token API.
export { headerNumber, parseRetryAfter } from './retry-after';
export { decodeJwtPayload, jwtScopeClaim } from './jwt-payload';
export { readCappedText } from './read-body';
export type { TooLarge } from './read-body';
export { allowedHeader, redactText, safeResponseHeaders, secretForms, REDACTED } from './redact';
