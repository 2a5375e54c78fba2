/** `scopeboundErrorHandler()`: Express error middleware mapping Scopebound errors to HTTP responses. */
import { InvalidOptionError } from '@scopebound/management';
import { errorReporter, mapScopeboundError, type ErrorReportOptions, type MappedError, type MapErrorOptions } from '@scopebound/management/adapter';
import type { NextLike, RequestLike, ResponseLike } from './request-like';

export interface ErrorHandlerOptions<Req = RequestLike, Res = ResponseLike> extends MapErrorOptions, ErrorReportOptions<Req> {
  /** See every mapped error (log it here: Scopebound errors never hold tokens). Exceptions are ignored. Without it, 5xx are logged through `logger`. */
  onError?: (err: Error, mapped: MappedError, req: Req) => void;
  /** Write the response yourself (e.g. an HTML page). Default: JSON `{ error: { code, message } }`. */
  render?: (mapped: MappedError, req: Req, res: Res) => void;
}

export type ErrorHandler<Req, Res> = (err: unknown, req: Req, res: Res, next: NextLike) => void;

export function scopeboundErrorHandler<Req extends RequestLike = RequestLike, Res extends ResponseLike = ResponseLike>(
  options: ErrorHandlerOptions<Req, Res> = {},
): ErrorHandler<Req, Res> {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'scopeboundErrorHandler(options) takes an object such as { onError }.');
  const report = errorReporter(options);
  // Express recognises error middleware by its four parameters: keep them.
  return function scopeboundErrors(err: unknown, req: Req, res: Res, next: NextLike): void {
    const mapped = mapScopeboundError(err, options);
    if (!mapped || res.headersSent) {
      next(err);
      return;
    }
    report(err, mapped, req);
    if (options.render) {
      options.render(mapped, req, res);
      return;
    }
    writeJson(res, mapped);
  };
}

export function writeJson(res: ResponseLike, mapped: MappedError): void {
  res.statusCode = mapped.status;
  for (const [name, value] of Object.entries(mapped.headers)) res.setHeader(name, value);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(mapped.body));
}
