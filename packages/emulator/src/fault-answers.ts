/** What a fired fault turns a tenant answer into: an injected status, a truncated body, extra headers. */
import type { FiredFault } from './faults';
import { apiErrorBody, json } from './http';

/** The answer of a `status` fault: its body, or Auth0's error shape (OAuth's on `/oauth/token`). */
export function faultResponse(fired: FiredFault, isOauth: boolean): Response {
  const r = fired.rule;
  const status = r.status!;
  const body =
    r.body !== undefined
      ? r.body
      : isOauth
        ? { error: status === 429 ? 'too_many_requests' : 'server_error', error_description: `Injected fault ${r.id}` }
        : apiErrorBody(status, `Injected fault ${r.id}`, 'emulator_fault');
  const headers = { ...(status === 429 ? { 'retry-after': '1' } : {}), ...(r.headers ?? {}) };
  return typeof body === 'string' ? new Response(body, { status, headers }) : json(status, body, headers);
}

/** A `malformed` fault: the real answer with its JSON body cut in half. */
export async function corrupt(response: Response): Promise<Response> {
  const text = await response.text();
  const cut = text.length > 2 ? text.slice(0, Math.ceil(text.length / 2)) : '{"';
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  headers.delete('content-length');
  return new Response(cut, { status: response.status === 204 ? 200 : response.status, headers });
}

/** Add headers (e.g. the rate-limit ones) to an answer, unless its headers are immutable. */
export function withHeaders(response: Response, headers: Record<string, string> | undefined): Response {
  if (!headers) return response;
  for (const [k, v] of Object.entries(headers)) {
    try {
      response.headers.set(k, v);
    } catch {
      // Immutable headers (Response.error()): nothing to add.
    }
  }
  return response;
}
