/**
 * Two ways to send a request: undici's keep-alive Agent (default, owned by the client and closed by
 * `close()`), or any fetch-compatible function. Both cap the response size while reading.
 */
import { Agent } from 'undici';
import { ResponseTooLargeError, type RequestInfo } from './errors';

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
  readonly signal: AbortSignal;
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

export function undiciTransport(options: UndiciTransportOptions = {}): Transport {
  const agent = new Agent({
    keepAliveTimeout: options.keepAliveTimeout ?? 10_000,
    ...(options.connections !== undefined ? { connections: options.connections } : {}),
  });
  return {
    async send(req) {
      const res = await agent.request({
        origin: req.origin,
        path: req.path,
        method: req.method as 'GET',
        headers: req.headers,
        body: req.body ?? null,
        signal: req.signal,
      });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      }
      if (declaredTooLarge(headers['content-length'], req.maxBytes)) {
        res.body.destroy();
        throw new ResponseTooLargeError(req.info, res.statusCode, req.maxBytes);
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      for await (const chunk of res.body) {
        total += (chunk as Uint8Array).byteLength;
        if (total > req.maxBytes) {
          res.body.destroy();
          throw new ResponseTooLargeError(req.info, res.statusCode, req.maxBytes);
        }
        chunks.push(chunk as Uint8Array);
      }
      return { status: res.statusCode, headers, body: concat(chunks, total) };
    },
    async close() {
      await agent.close();
    },
  };
}

export function fetchTransport(fetchFn: FetchLike): Transport {
  return {
    async send(req) {
      const init: Parameters<FetchLike>[1] = { method: req.method, headers: req.headers, signal: req.signal };
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
    },
    async close() {
      // An injected fetch is owned by the caller.
    },
  };
}
