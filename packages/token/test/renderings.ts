/** Test helper for secret scans (token, management and the fault matrix): everything a log line could be built from. */
import { inspect } from 'node:util';

/** inspect, String, JSON, message, stack and headers of `value` and of its cause chain, as one text. */
export function renderings(value: unknown): string {
  const out: string[] = [inspect(value, { depth: 10 }), String(value), JSON.stringify(value) ?? ''];
  let v: unknown = value;
  for (let i = 0; i < 5 && v !== undefined && v !== null; i++) {
    if (v instanceof Error) out.push(v.message, v.stack ?? '');
    const headers = (v as { headers?: unknown }).headers;
    if (headers) out.push(JSON.stringify(headers));
    v = (v as { cause?: unknown }).cause;
    if (v !== undefined) out.push(inspect(v, { depth: 10 }), String(v));
  }
  return out.join('\n');
}
