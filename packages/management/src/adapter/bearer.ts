/** The bearer token of an incoming request (RFC 6750 §2.1), or undefined. Never logged, never stored. */
export type HeaderValue = string | readonly string[] | undefined;

const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

export function bearerFrom(authorization: HeaderValue): string | undefined {
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  if (typeof value !== 'string') return undefined;
  return BEARER.exec(value)?.[1];
}
