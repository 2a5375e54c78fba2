/**
 * Two ways to send a request: undici's keep-alive Agent (default, owned by the client and closed by
 * `close()`), or any fetch-compatible function. Both cap the response size while reading.
 */
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
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  /** The caller's signal, if any. */
  readonly signal: AbortSignal | undefined;
  /** Per-attempt timeout; the transport throws TimeoutError when it passes. */
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly info: RequestInfo;
}

export interface TransportResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

export interface Transport {
  send(req: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}

export interface UndiciTransportOptions {
  /** Max sockets per origin (default: unlimited). */
  connections?: number;
  /** Idle keep-alive in ms (default 10 000). */
  keepAliveTimeout?: number;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function declaredTooLarge(length: string | undefined, max: number): boolean {
  if (length === undefined) return false;
  const n = Number(length);
  return Number.isFinite(n) && n > max;
}

/** Read a body with a byte cap, via events (cheaper than async iteration). */
function readCapped(body: NodeJS.ReadableStream & { destroy(): void }, max: number, onTooLarge: () => Error): Promise<{ chunks: Uint8Array[]; total: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    body.on('data', (chunk: Uint8Array) => {
      total += chunk.byteLength;
      if (total > max) {
        body.destroy();
        reject(onTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () => resolve({ chunks, total }));
    body.once('error', reject);
  });
}

export function undiciTransport(options: UndiciTransportOptions = {}): Transport {
  // undici is loaded on first use, so importing this package stays cheap.
  let agent: Promise<Agent> | undefined;
  let ready: Agent | undefined;
  const getAgent = () =>
    (agent ??= import('undici').then(({ Agent: AgentClass }) => {
      ready = new AgentClass({
        keepAliveTimeout: options.keepAliveTimeout ?? 10_000,
        ...(options.connections !== undefined ? { connections: options.connections } : {}),
      });
      return ready;
    }));
  return {
    async send(req) {
      let res: Awaited<ReturnType<Agent['request']>>;
      try {
        // undici's own timers (no AbortController per request): time to headers, then idle time between body chunks.
        res = await (ready ?? (await getAgent())).request({
          origin: req.origin,
          path: req.path,
          method: req.method as 'GET',
          headers: req.headers,
          body: req.body ?? null,
          headersTimeout: req.timeoutMs,
          bodyTimeout: req.timeoutMs,
          ...(req.signal ? { signal: req.signal } : {}),
        });
      } catch (e) {
        throw isUndiciTimeout(e) ? new TimeoutError(req.info, req.timeoutMs) : e;
      }
      // undici already lower-cases names; only repeated headers (arrays) need joining.
      const headers: Record<string, string> = {};
      const rh = res.headers;
      for (const k in rh) {
        const v = rh[k];
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      }
      if (declaredTooLarge(headers['content-length'], req.maxBytes)) {
        res.body.destroy();
        throw new ResponseTooLargeError(req.info, res.statusCode, req.maxBytes);
      }
      const { chunks, total } = await readCapped(res.body, req.maxBytes, () => new ResponseTooLargeError(req.info, res.statusCode, req.maxBytes)).catch(
        (e: unknown) => {
          throw isUndiciTimeout(e) ? new TimeoutError(req.info, req.timeoutMs) : e;
        },
      );
      return { status: res.statusCode, headers, body: concat(chunks, total) };
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
  const init: Parameters<FetchLike>[1] = { method: req.method, headers: req.headers, signal };
  if (req.body !== undefined) init.body = req.body;
  const res = await fetchFn(req.origin + req.path, init);
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  if (declaredTooLarge(headers['content-length'], req.maxBytes)) {
    await res.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(req.info, res.status, req.maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > req.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new ResponseTooLargeError(req.info, res.status, req.maxBytes);
      }
      chunks.push(value);
    }
  }
  return { status: res.status, headers, body: concat(chunks, total) };
}
