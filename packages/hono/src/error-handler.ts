/** `scopeboundErrorHandler()`: a Hono `onError` handler mapping Scopebound errors to responses; others to a fallback. */
import { InvalidOptionError } from '@scopebound/management';
import { errorReporter, mapScopeboundError, type ErrorReportOptions, type MappedError, type MapErrorOptions } from '@scopebound/management/adapter';
import type { Context, ErrorHandler } from 'hono';

export interface ErrorHandlerOptions extends MapErrorOptions, ErrorReportOptions<Context> {
  /** See every mapped error (log it here: Scopebound errors never hold tokens). Exceptions are ignored. Without it, 5xx are logged through `logger`. */
  onError?: (err: Error, mapped: MappedError, c: Context) => void;
  /** Build the response yourself (e.g. an HTML page). Default: JSON `{ error: { code, message } }`. */
  render?: (mapped: MappedError, c: Context) => Response | Promise<Response>;
  /** Errors that are not ours. Default: an HTTPException's own response, else 500 `Internal Server Error`. */
  fallback?: ErrorHandler;
}

const defaultFallback: ErrorHandler = (err) => {
  const response = (err as { getResponse?: () => Response }).getResponse;
  return typeof response === 'function' ? response.call(err) : new Response('Internal Server Error', { status: 500 });
};

/** `app.onError(scopeboundErrorHandler())`. */
export function scopeboundErrorHandler(options: ErrorHandlerOptions = {}): ErrorHandler {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'scopeboundErrorHandler(options) takes an object such as { onError }.');
  const report = errorReporter(options);
  const fallback = options.fallback ?? defaultFallback;
  return function scopeboundErrors(err, c) {
    const mapped = mapScopeboundError(err, options);
    if (!mapped) return fallback(err, c);
    report(err, mapped, c);
    if (options.render) return options.render(mapped, c);
    return c.json(mapped.body, mapped.status as 400, { ...mapped.headers, 'cache-control': 'no-store' });
  };
}
