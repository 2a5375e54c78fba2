/**
 * The default transport where the `node` export condition holds (`#default-transport`): undici's keep-alive
 * Agent on Node, the runtime's own fetch on Bun (which also matches `node`, and whose undici shim fails).
 */
import { fetchTransport, undiciTransport, type FetchLike, type Transport, type UndiciTransportOptions } from '../transport';

export const DEFAULT_TRANSPORT = 'undici' as 'undici' | 'fetch';

export function defaultTransport(options: UndiciTransportOptions | undefined, maxBytes: number): Transport {
  if ((globalThis as { Bun?: unknown }).Bun !== undefined) return fetchTransport(globalThis.fetch as unknown as FetchLike);
  return undiciTransport(options, maxBytes);
}
