/**
 * The explorer's guards: loopback peers and loopback Host names only (no DNS rebinding), same-origin API
 * calls carrying the per-session CSRF token (compared in constant time), and strict response headers.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isLoopbackHost } from '@scopebound/token';
import { isLoopbackPeer } from '../loopback';

export const CSRF_HEADER = 'x-scopebound-csrf';

/** No inline script or style, nothing from elsewhere, never framed. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
});

export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison (of fixed-length digests, so the length leaks nothing either). */
export function csrfMatches(expected: string, given: string | null): boolean {
  if (given === null) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/**
 * A Host header naming a loopback address (with any port); refuses rebinding names such as evil.example.
 * Only the port is parsed off here: the loopback test itself is @scopebound/token's `isLoopbackHost`.
 */
export function isLoopbackHostHeader(host: string | null): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return isLoopbackHost(name);
}

export type Refusal = { status: number; code: string; message: string };

/** Checks every explorer request: who is calling, and through which name. */
export function checkPeer(request: Request, peer: string | undefined): Refusal | undefined {
  if (!isLoopbackPeer(peer)) {
    return { status: 403, code: 'explorer_loopback_only', message: 'The explorer only answers loopback peers (127.0.0.1, ::1).' };
  }
  // In-process calls (the fetch/msw hosts) have no socket and no real Host header to check.
  const viaSocket = peer !== undefined && peer !== 'in-process';
  if (viaSocket && !isLoopbackHostHeader(request.headers.get('host'))) {
    return { status: 403, code: 'explorer_host_refused', message: 'Open the explorer through a loopback address (http://127.0.0.1:<port>/explorer or http://localhost:<port>/explorer).' };
  }
  return undefined;
}

/** Checks an API call: same origin (when the browser says so) and the session's CSRF token. */
export function checkApiCall(request: Request, url: URL, csrfToken: string): Refusal | undefined {
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== url.origin && !(isLoopbackOrigin(origin) && sameHost(origin, request.headers.get('host')))) {
    return { status: 403, code: 'explorer_cross_origin', message: 'Cross-origin requests to the explorer API are refused.' };
  }
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') {
    return { status: 403, code: 'explorer_cross_origin', message: 'Cross-site requests to the explorer API are refused.' };
  }
  if (!csrfMatches(csrfToken, request.headers.get(CSRF_HEADER))) {
    return { status: 403, code: 'explorer_csrf', message: `Missing or wrong ${CSRF_HEADER} header: reload the explorer page to get this session's token.` };
  }
  return undefined;
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    return isLoopbackHost(new URL(origin).hostname);
  } catch {
    return false;
  }
}

function sameHost(origin: string, host: string | null): boolean {
  try {
    return host !== null && new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}
