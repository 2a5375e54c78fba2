/**
 * Two ways to send a request: undici's keep-alive Agent (default, owned by the client and closed by
 * `close()`), or any fetch-compatible function. Both cap the response size while reading, and both bound the
 * whole attempt (connect, headers, body) by one `timeoutMs` deadline of their own.
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
      // One deadline for the whole attempt (connect, headers, body): our own timer and abort signal, not
      // undici's coarse idle timers (which restart on every trickled byte and tick about once a second).
      const deadline = new Deadline(req.timeoutMs, req.signal);
      const opts: Parameters<Agent['request']>[0] = {
        origin: req.origin,
        path: req.path,
        method: req.method as 'GET',
        headers: req.headers,
        body: req.body ?? null,
        headersTimeout: 0,
        bodyTimeout: 0,
        signal: deadline.emitter,
      };
      try {
        const res = await (ready ?? (await getAgent())).request(opts);
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
          throw e;
        }
        return { status: res.statusCode, headers, body };
      } catch (e) {
        if (deadline.timedOut) throw new TimeoutError(req.info, req.timeoutMs);
        if (req.signal?.aborted) throw req.signal.reason;
        throw e;
      } finally {
        deadline.clear();
      }
    },
    async close() {
      if (agent) await (await agent).close();
    },
  };
}

/**
 * An attempt's deadline: fires after `ms`, or when the caller's signal does. Passed to undici as `signal` in
 * the EventEmitter shape undici accepts (`aborted`, `reason`, `once`, `removeListener`): no AbortController
 * or EventTarget per request on the hot path. `abortSignal()` makes a real one on demand (for fetch).
 */
class Deadline {
  aborted = false;
  reason: unknown = undefined;
  timedOut = false;
  private listener: (() => void) | undefined;
  private controller: AbortController | undefined;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly caller: AbortSignal | undefined;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(ms: number, caller: AbortSignal | undefined) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.fire(new Error(`the ${ms} ms deadline passed`));
    }, ms);
    this.caller = caller;
    if (caller) {
      this.onCallerAbort = () => this.fire(caller.reason);
      if (caller.aborted) this.fire(caller.reason);
      else caller.addEventListener('abort', this.onCallerAbort, { once: true });
    }
  }

  on(_event: 'abort', listener: () => void): this {
    this.listener = listener;
    return this;
  }

  once(event: 'abort', listener: () => void): this {
    return this.on(event, listener);
  }

  removeListener(): this {
    this.listener = undefined;
    return this;
  }

  /** What undici is given as its `signal`. */
  get emitter(): NonNullable<Parameters<Agent['request']>[0]['signal']> {
    return this as unknown as NonNullable<Parameters<Agent['request']>[0]['signal']>;
  }

  abortSignal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.aborted) this.controller.abort(this.reason);
    return this.controller.signal;
  }

  clear(): void {
    clearTimeout(this.timer);
    if (this.onCallerAbort) this.caller?.removeEventListener('abort', this.onCallerAbort);
  }

  private fire(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    const listener = this.listener;
    this.listener = undefined;
    listener?.();
  }
}

export function fetchTransport(fetchFn: FetchLike): Transport {
  return {
    async send(req) {
      const deadline = new Deadline(req.timeoutMs, req.signal);
      try {
        return await sendFetch(fetchFn, req, deadline.abortSignal());
      } catch (e) {
        if (deadline.timedOut) throw new TimeoutError(req.info, req.timeoutMs);
        throw e;
      } finally {
        deadline.clear();
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
