/**
 * One attempt over undici's dispatch API: the request goes straight to the Agent with a small handler that
 * collects the body chunks, instead of `Agent.request` (which builds a Readable stream, an abort-signal
 * listener and a body mixin per call). The handler owns the attempt's deadline: one timer for connect,
 * headers and body together, which aborts the request through the `abort` undici hands to `onConnect`
 * (no AbortSignal per request), and the caller's signal, listened to only when there is one.
 */
import type { Agent } from 'undici';
import { ResponseTooLargeError, TimeoutError } from './errors';
import type { RawHeaders, TransportRequest, TransportResponse } from './transport';

type Dispatcher = Pick<Agent, 'dispatch'>;
type DispatchHandler = Parameters<Agent['dispatch']>[1];

/** Send `req` through `agent`; resolves with the whole (size-capped) body as text. */
export function exchange(agent: Dispatcher, req: TransportRequest): Promise<TransportResponse> {
  return new Promise<TransportResponse>((resolve, reject) => {
    const ex = new Exchange(req, resolve, reject);
    if (ex.settled) return; // the caller's signal had already fired
    agent.dispatch(
      { origin: req.origin, path: req.path, method: req.method as 'GET', headers: req.headers, body: req.body ?? null, headersTimeout: 0, bodyTimeout: 0 },
      ex as unknown as DispatchHandler,
    );
  });
}

/** Lower-case names, values as latin1 strings, repeated headers as arrays (what `Agent.request` gives). */
export function parseRawHeaders(raw: readonly (Buffer | string)[]): RawHeaders {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1').toLowerCase();
    const value = raw[i + 1]!.toString('latin1');
    const prev = out[name];
    if (prev === undefined) out[name] = value;
    else if (typeof prev === 'string') out[name] = [prev, value];
    else prev.push(value);
  }
  return out;
}

function declaredTooLarge(length: string | string[] | undefined, max: number): boolean {
  if (typeof length !== 'string') return false;
  const n = Number(length);
  return Number.isFinite(n) && n > max;
}

/** The state of one attempt, as undici's (legacy, allocation-free) handler interface. */
class Exchange {
  private abortFn: ((reason: Error) => void) | undefined;
  private pending: Error | undefined;
  settled = false;
  private status = 0;
  private headers: RawHeaders = {};
  private chunks: Buffer[] = [];
  private bytes = 0;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(
    private readonly req: TransportRequest,
    private readonly resolve: (res: TransportResponse) => void,
    private readonly reject: (e: unknown) => void,
  ) {
    this.timer = setTimeout(() => this.stop(new TimeoutError(req.info, req.timeoutMs)), req.timeoutMs);
    const signal = req.signal;
    if (signal) {
      if (signal.aborted) this.stop(signal.reason);
      else {
        this.onCallerAbort = () => this.stop(signal.reason);
        signal.addEventListener('abort', this.onCallerAbort, { once: true });
      }
    }
  }

  onConnect(abort: (reason: Error) => void): void {
    this.abortFn = abort;
    if (this.pending) abort(this.pending);
  }

  onHeaders(status: number, raw: Buffer[]): boolean {
    const headers = parseRawHeaders(raw);
    if (declaredTooLarge(headers['content-length'], this.req.maxBytes)) {
      this.stop(new ResponseTooLargeError(this.req.info, status, this.req.maxBytes));
      return false;
    }
    this.status = status;
    this.headers = headers;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    if (this.bytes > this.req.maxBytes) {
      this.stop(new ResponseTooLargeError(this.req.info, this.status, this.req.maxBytes));
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.finish()) return;
    const { chunks } = this;
    const body = chunks.length === 0 ? '' : chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
    this.resolve({ status: this.status, headers: this.headers, body });
  }

  onError(e: Error): void {
    if (this.finish()) return;
    const code = (e as { code?: unknown }).code;
    this.reject(code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE' ? new ResponseTooLargeError(this.req.info, this.status, this.req.maxBytes) : e);
  }

  /** End the attempt early (deadline, caller's abort, size cap): settle now, abort undici's side. */
  private stop(reason: unknown): void {
    if (this.finish()) return;
    this.reject(reason);
    const err = reason instanceof Error ? reason : new Error('aborted');
    if (this.abortFn) this.abortFn(err);
    else this.pending = err;
  }

  /** Mark settled and drop the timer and listener; true when it already was. */
  private finish(): boolean {
    if (this.settled) return true;
    this.settled = true;
    clearTimeout(this.timer);
    if (this.onCallerAbort) this.req.signal?.removeEventListener('abort', this.onCallerAbort);
    return false;
  }
}
