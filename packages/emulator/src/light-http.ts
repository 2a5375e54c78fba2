/**
 * Light stand-ins for fetch's `Request`, `Response` and `Headers` on the node host's hot path (building the
 * real ones costs more than the rest of a cached-token `GET`). They carry the members the core reads — url,
 * method, headers, status, the body as text or bytes, clone — and `webResponse` turns an answer into a real
 * `Response` wherever one leaves the emulator (`handle`, the in-process fetch, msw).
 */

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      if (bytes.length > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** Header names lower-cased, repeated values joined with ", " (as fetch's `Headers` does). */
export class LightHeaders {
  readonly #map = new Map<string, string>();

  constructor(init?: Record<string, string> | Iterable<readonly [string, string]>) {
    if (!init) return;
    const pairs = Symbol.iterator in init ? (init as Iterable<readonly [string, string]>) : Object.entries(init);
    for (const [k, v] of pairs) this.append(k, v);
  }
  get(name: string): string | null {
    return this.#map.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.#map.has(name.toLowerCase());
  }
  set(name: string, value: string): void {
    this.#map.set(name.toLowerCase(), String(value));
  }
  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const prev = this.#map.get(key);
    this.#map.set(key, prev === undefined ? String(value) : `${prev}, ${value}`);
  }
  delete(name: string): void {
    this.#map.delete(name.toLowerCase());
  }
  forEach(fn: (value: string, key: string, parent: LightHeaders) => void): void {
    for (const [k, v] of this.#map) fn(v, k, this);
  }
  entries(): IterableIterator<[string, string]> {
    return this.#map.entries();
  }
  keys(): IterableIterator<string> {
    return this.#map.keys();
  }
  values(): IterableIterator<string> {
    return this.#map.values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.#map.entries();
  }
  getSetCookie(): string[] {
    const v = this.#map.get('set-cookie');
    return v === undefined ? [] : [v];
  }
  asHeaders(): Headers {
    return this as unknown as Headers;
  }
}

/** Body readers shared by both classes; `used` follows fetch's one-read rule. */
abstract class LightBody {
  #used = false;
  protected abstract bytesOf(): Uint8Array;

  get bodyUsed(): boolean {
    return this.#used;
  }
  get body(): ReadableStream<Uint8Array> | null {
    return this.hasBody() ? streamOf(this.bytesOf()) : null;
  }
  protected hasBody(): boolean {
    return this.bytesOf().length > 0;
  }
  protected consume(): Uint8Array {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.bytesOf();
  }
  async text(): Promise<string> {
    return decoder.decode(this.consume());
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.consume();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(this.consume());
  }
  async blob(): Promise<Blob> {
    return new Blob([await this.bytes() as Uint8Array<ArrayBuffer>]);
  }
  async formData(): Promise<FormData> {
    throw new TypeError('formData() is not supported on emulator requests; read text() instead');
  }
}

/** A request received by the node host, before any real `Request` exists. */
export class LightRequest extends LightBody {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly #body: Uint8Array;
  #signal: AbortSignal | undefined;

  constructor(url: string, method: string, headers: Headers, body: Uint8Array | undefined) {
    super();
    this.url = url;
    this.method = method;
    this.headers = headers;
    this.#body = body ?? EMPTY;
  }
  protected bytesOf(): Uint8Array {
    return this.#body;
  }
  get signal(): AbortSignal {
    return (this.#signal ??= new AbortController().signal);
  }
  clone(): LightRequest {
    return new LightRequest(this.url, this.method, new LightHeaders(this.headers).asHeaders(), this.#body);
  }
  /** Typed as the `Request` the core expects (it only reads the members above). */
  asRequest(): Request {
    return this as unknown as Request;
  }
}

/** A JSON answer: its text is kept so hosts can write it as is. */
export class JsonResponse extends LightBody {
  readonly status: number;
  readonly headers: Headers;
  readonly bodyText: string;
  readonly type = 'default' as const;
  readonly url = '';
  readonly redirected = false;
  #bytes: Uint8Array | undefined;

  constructor(status: number, bodyText: string, headers: Record<string, string>) {
    super();
    this.status = status;
    this.headers = new LightHeaders(headers).asHeaders();
    this.bodyText = bodyText;
  }
  protected bytesOf(): Uint8Array {
    return (this.#bytes ??= encoder.encode(this.bodyText));
  }
  protected override hasBody(): boolean {
    return true;
  }
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  get statusText(): string {
    return '';
  }
  clone(): JsonResponse {
    return new JsonResponse(this.status, this.bodyText, Object.fromEntries(this.headers));
  }
  asResponse(): Response {
    return this as unknown as Response;
  }
}

/** A real `Response` for an answer that leaves the emulator. */
export function webResponse(response: Response): Response {
  const r = response as unknown;
  if (!(r instanceof JsonResponse)) return response;
  return new Response(r.bodyText, { status: r.status, headers: [...r.headers] });
}

/** A real `Request` for one handed to code outside the core (an explorer handler, which may be the user's). */
export async function webRequest(request: Request): Promise<Request> {
  const r = request as unknown;
  if (!(r instanceof LightRequest)) return request;
  const body = r.method === 'GET' || r.method === 'HEAD' ? undefined : ((await r.bytes()) as Uint8Array<ArrayBuffer>);
  return new Request(r.url, { method: r.method, headers: [...(r.headers as unknown as LightHeaders)], ...(body && body.length > 0 ? { body } : {}) });
}
