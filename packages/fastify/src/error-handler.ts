/** `scopeboundErrorHandler()`: a Fastify error handler mapping Scopebound errors; others go to the parent handler. */
import { InvalidOptionError } from '@scopebound/management';
import { errorReporter, mapScopeboundError, type ErrorReportOptions, type MappedError, type MapErrorOptions } from '@scopebound/management/adapter';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface ErrorHandlerOptions extends MapErrorOptions, ErrorReportOptions<FastifyRequest> {
  /** See every mapped error (log it here: Scopebound errors never hold tokens). Exceptions are ignored. Without it, 5xx are logged through `logger`. */
  onError?: (err: Error, mapped: MappedError, request: FastifyRequest) => void;
  /** Write the reply yourself (e.g. an HTML page). Default: JSON `{ error: { code, message } }`. */
  render?: (mapped: MappedError, request: FastifyRequest, reply: FastifyReply) => unknown;
}

/** `app.setErrorHandler(scopeboundErrorHandler())`. An error that is not ours is rethrown (Fastify's parent or default handler). */
export function scopeboundErrorHandler(options: ErrorHandlerOptions = {}) {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'scopeboundErrorHandler(options) takes an object such as { onError }.');
  const report = errorReporter(options);
  return function scopeboundErrors(err: unknown, request: FastifyRequest, reply: FastifyReply): unknown {
    const mapped = mapScopeboundError(err, options);
    if (!mapped || reply.sent) throw err;
    report(err, mapped, request);
    if (options.render) return options.render(mapped, request, reply);
    return reply.code(mapped.status).headers({ ...mapped.headers, 'cache-control': 'no-store' }).send(mapped.body);
  };
}
