/**
 * Whether a peer may use the loopback-only surfaces (admin API, explorer): in-process calls, or a socket
 * address that @scopebound/token's `isLoopbackHost` accepts (IPv4-mapped IPv6 addresses unwrapped first).
 */
import { isLoopbackHost } from '@scopebound/token';

/** `peer` is `'in-process'`, undefined (a custom host that did not say), or a socket's remote address. */
export function isLoopbackPeer(peer: string | undefined): boolean {
  if (peer === undefined || peer === 'in-process') return true;
  // Socket addresses are IPs, never names: `isLoopbackHost`'s `localhost` cases cannot widen this check.
  return isLoopbackHost(peer.replace(/^::ffff:/i, ''));
}
