/**
 * The node host's conversions, on the hot path of every HTTP request: `IncomingMessage` → `Request` (the URL
 * on the origin the client addressed, when it is one this server listens on) and `Response` →
 * `ServerResponse`. Both sides use light-http.ts's stand-ins: building real fetch objects per request costs more
 * than the rest of a cached-token `GET`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JsonResponse, LightHeaders, LightRequest } from '../light-http';

const NO_BODY = new Set(['GET', 'HEAD']);

/** The origin for a request: its Host header when that names this server, else the server's own URL. */
export function requestOrigin(req: IncomingMessage, scheme: string, origins: ReadonlySet<string>, fallback: string): string {
  const host = req.headers.host;
  if (host) {
    const origin = `${scheme}://${host}`;
    if (origins.has(origin)) return origin;
  }
  return fallback;
}

export function toRequest(req: IncomingMessage, origin: string, body: Buffer | undefined): Request {
  const raw = req.rawHeaders;
  const headers = new LightHeaders();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const method = req.method ?? 'GET';
  const bytes = body && body.length > 0 && !NO_BODY.has(method) ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength) : undefined;
  return new LightRequest(origin + (req.url ?? '/'), method, headers.asHeaders(), bytes).asRequest();
}

export async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const answer = response as unknown;
  if (answer instanceof JsonResponse) {
    const flat: string[] = [];
    response.headers.forEach((value, key) => void flat.push(key, value));
    flat.push('content-length', String(Buffer.byteLength(answer.bodyText)));
    res.writeHead(response.status, flat);
    res.end(answer.bodyText);
    return;
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (body) headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}
