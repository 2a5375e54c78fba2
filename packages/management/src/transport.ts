/**
 * Two ways to send a request: undici's keep-alive Agent (default, owned by the client and closed by
 * `close()`), or any fetch-compatible function. Both cap the response size while reading.
 */
import { readCappedText } from '@scopebound/token/http';
import type { Agent } from 'undici';
import { ResponseTooLargeError, TimeoutError, type RequestInfo } from './errors';

export type FetchLike = (input: string, init: {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
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
  connections?: number;
  /** Idle keep-alive in ms (default 10 000). */
  keepAliveTimeout?: number;
}

function declaredTooLarge(length: string | string[] | undefined, max: number): boolean {
  if (typeof length !== 'string') return false;
  const n = Number(length);
  return Number.isFinite(n) && n > max;
}

/**
 * The built-in transport. The size cap is undici's own `maxResponseSize` (the Agent is per client, and so is
 * the cap), so bodies are read with undici's fast `text()` path instead of a per-chunk event listener.
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
      let res: Awaited<ReturnType<Agent['request']>>;
      // undici's own timers (no AbortController per request): time to headers, then idle time between body chunks.
      const opts: Parameters<Agent['request']>[0] = {
        origin: req.origin,
        path: req.path,
        method: req.method as 'GET',
        headers: req.headers,
        body: req.body ?? null,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      };
      if (req.signal) opts.signal = req.signal;
      try {
        res = await (ready ?? (await getAgent())).request(opts);
      } catch (e) {
        throw isUndiciTimeout(e) ? new TimeoutError(req.info, req.timeoutMs) : e;
      }
      // undici already lower-cases names; the object is handed on as is (no copy per call).
      const headers = res.headers as RawHeaders;
      if (declaredTooLarge(headers['content-length'], req.maxBytes)) {
        res.body.destroy();
        throw new ResponseTooLargeError(req.info, res.statusCode, req.maxBytes);
      }
      let body: string;
      try {
        body = await res.body.text();
      } catch (e) {
        if ((e as { code?: unknown } | null)?.code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') throw new ResponseTooLargeError(req.info, res.statusCode, req.maxBytes);
        throw isUndiciTimeout(e) ? new TimeoutError(req.info, req.timeoutMs) : e;
      }
      return { status: res.statusCode, headers, body };
    },
    async close() {
      if (agent) await (await agent).close();
    },
  };
}

function isUndiciTimeout(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

export function fetchTransport(fetchFn: FetchLike): Transport {
  return {
    send(req) {
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), req.timeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal;
      return sendFetch(fetchFn, req, signal).then(
        (res) => {
          clearTimeout(timer);
          return res;
        },
        (e: unknown) => {
          clearTimeout(timer);
          if (timeout.signal.aborted && !req.signal?.aborted) throw new TimeoutError(req.info, req.timeoutMs);
          throw e;
        },
      );
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
