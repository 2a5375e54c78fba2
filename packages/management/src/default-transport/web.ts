/**
 * The default transport everywhere but Node (`#default-transport` under `default`, `bun`, `deno`, `workerd`,
 * `edge-light`, browsers): the runtime's own fetch. Nothing here imports undici, so a bundle stays free of it.
 */
import { fetchTransport, type FetchLike, type Transport, type UndiciTransportOptions } from '../transport';

export const DEFAULT_TRANSPORT = 'fetch' as 'undici' | 'fetch';

/** `globalThis.fetch` is read per call: Workers and tests may replace it after the client is built. */
const runtimeFetch: FetchLike = (input, init) => (globalThis.fetch as unknown as FetchLike)(input, init);

export function defaultTransport(_options: UndiciTransportOptions | undefined, _maxBytes: number): Transport {
  return fetchTransport(runtimeFetch);
}
