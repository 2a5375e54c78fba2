/** A success response as the caller's value: the parsed JSON (or text) body, or `{data, status, headers}`. */
import { InvalidResponseError, type RequestInfo } from './errors';
import { normalizeHeaders, type RawHeaders, type TransportResponse } from './transport';
import type { ApiResponse } from './types';

function contentType(headers: RawHeaders): string {
  const v = headers['content-type'];
  return typeof v === 'string' ? v.toLowerCase() : v === undefined ? '' : v.join(', ').toLowerCase();
}

function parseSuccess(res: TransportResponse, info: RequestInfo): unknown {
  if (res.status === 204 || res.body === '') return undefined;
  const type = contentType(res.headers);
  if (type === '' || type.includes('json')) {
    try {
      return JSON.parse(res.body);
    } catch (e) {
      throw new InvalidResponseError(info, res.status, e instanceof Error ? e.message : 'parse error');
    }
  }
  if (type.startsWith('text/plain')) return res.body;
  throw new InvalidResponseError(info, res.status, `content-type ${type}`);
}

/** The parsed body; with `raw`, also the status and a copy of the headers (only then are headers copied). */
export function finish(res: TransportResponse, info: RequestInfo, raw: boolean): unknown {
  const data = parseSuccess(res, info);
  if (!raw) return data;
  const out: ApiResponse<unknown> = { data, status: res.status, headers: normalizeHeaders(res.headers) };
  return out;
}
