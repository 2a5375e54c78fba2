/**
 * Two ways to send a request: undici's keep-alive Agent (default, owned by the client and closed by
 * `close()`), or any fetch-compatible function. Both cap the response size while reading, and both bound the
 * whole attempt (connect, headers, body) by one `timeoutMs` deadline of their own.
 */
import { readCappedText } from '@scopebound/token/http';
import type { Agent } from 'undici';
import { ResponseTooLargeError, TimeoutError, type RequestInfo } from './errors';
import { exchange } from './undici-exchange';

export type FetchLike = (input: string, init: {
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
}) => Promise<Response>;

export interface TransportRequest {
  readonly method: string;
  readonly origin: string;
  /** Path + query, already encoded. */
  readonly path: string;
  /** Shared between calls with the same token: never mutate. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** The caller's signal, if any. */
  readonly signal: AbortSignal | undefined;
  /** Per-attempt timeout; the transport throws TimeoutError when it passes. */
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly info: RequestInfo;
}

/** Response headers as the transport got them: lower-case names, repeated headers as arrays. Not copied per call. */
export type RawHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface TransportResponse {
  readonly status: number;
  /** Lower-case names; read with `headerValue`, copy with `normalizeHeaders` only when needed. */
  readonly headers: RawHeaders;
  /** The body as text (already size-capped). */
  readonly body: string;
}

export interface Transport {
  send(req: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}

/** One header (repeated headers joined with `, `). */
export function headerValue(headers: RawHeaders, name: string): string | undefined {
  const v = headers[name];
  return v === undefined || typeof v === 'string' ? v : v.join(', ');
}

/** A plain `name → value` copy (for `withResponse` and errors; never on the hot path). */
export function normalizeHeaders(headers: RawHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in headers) {
    const v = headers[k];
    if (v !== undefined) out[k] = typeof v === 'string' ? v : v.join(', ');
  }
  return out;
}

export interface UndiciTransportOptions {
  /** Max sockets per origin (default: unlimited). */
  connections?: number | undefined;
  /** Idle keep-alive in ms (default 10 000). */
  keepAliveTimeout?: number | undefined;
}

/**
 * The built-in transport: undici's keep-alive Agent through its dispatch API (undici-exchange.ts). The size
 * cap is undici's own `maxResponseSize` (the Agent is per client, and so is the cap) plus a byte count per
 * chunk, so a lying or missing content-length cannot get past it.
 */
export function undiciTransport(options: UndiciTransportOptions = {}, maxBytes = Number.POSITIVE_INFINITY): Transport {
  // undici is loaded on first use, so importing this package and constructing a client stay cheap.
  let agent: Promise<Agent> | undefined;
  let ready: Agent | undefined;
  const getAgent = () =>
    (agent ??= import('#undici').then(({ Agent: AgentClass }) => {
      ready = new AgentClass({
        keepAliveTimeout: options.keepAliveTimeout ?? 10_000,
        ...(options.connections !== undefined ? { connections: options.connections } : {}),
        ...(Number.isFinite(maxBytes) ? { maxResponseSize: Math.floor(maxBytes) } : {}),
      });
      return ready;
    }));
  return {
    async send(req) {
      return exchange(ready ?? (await getAgent()), req);
    },
    async close() {
      if (agent) await (await agent).close();
    },
  };
}

export function fetchTransport(fetchFn: FetchLike): Transport {
  return {
    async send(req) {
      // One deadline for the whole attempt (connect, headers, body), joined with the caller's signal.
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new TimeoutError(req.info, req.timeoutMs));
      }, req.timeoutMs);
      const caller = req.signal;
      const onAbort = () => controller.abort(caller?.reason);
      if (caller?.aborted) onAbort();
      else caller?.addEventListener('abort', onAbort, { once: true });
      try {
        return await sendFetch(fetchFn, req, controller.signal);
      } catch (e) {
        if (timedOut) throw new TimeoutError(req.info, req.timeoutMs);
        throw e;
      } finally {
        clearTimeout(timer);
        caller?.removeEventListener('abort', onAbort);
      }
    },
    async close() {
      // An injected fetch is owned by the caller.
    },
  };
}

async function sendFetch(fetchFn: FetchLike, req: TransportRequest, signal: AbortSignal): Promise<TransportResponse> {
  // A copy: an injected fetch may add headers to the object it is given.
  const init: Parameters<FetchLike>[1] = { method: req.method, headers: { ...req.headers }, signal };
  if (req.body !== undefined) init.body = req.body;
  const res = await fetchFn(req.origin + req.path, init);
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  const body = await readCappedText(res, req.maxBytes, () => new ResponseTooLargeError(req.info, res.status, req.maxBytes));
  return { status: res.status, headers, body };
}
