/** `scopeboundErrors()`: Koa middleware mapping Scopebound errors thrown downstream to HTTP responses. */
import { InvalidOptionError } from '@scopebound/management';
import { errorReporter, mapScopeboundError, type ErrorReportOptions, type MappedError, type MapErrorOptions } from '@scopebound/management/adapter';
import type { Next, ResponseContextLike } from './context-like';

export interface ErrorMiddlewareOptions<Ctx = ResponseContextLike> extends MapErrorOptions, ErrorReportOptions<Ctx> {
  /** See every mapped error (log it here: Scopebound errors never hold tokens). Exceptions are ignored. Without it, 5xx are logged through `logger`. */
  onError?: (err: Error, mapped: MappedError, ctx: Ctx) => void;
  /** Write the response yourself (e.g. an HTML page). Default: JSON `{ error: { code, message } }`. */
  render?: (mapped: MappedError, ctx: Ctx) => void;
}

/** Mount it before the routes: other errors are rethrown untouched. */
export function scopeboundErrors<Ctx extends ResponseContextLike = ResponseContextLike>(
  options: ErrorMiddlewareOptions<Ctx> = {},
): (ctx: Ctx, next: Next) => Promise<void> {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'scopeboundErrors(options) takes an object such as { onError }.');
  const report = errorReporter(options);
  return async function scopeboundErrorsMiddleware(ctx: Ctx, next: Next): Promise<void> {
    try {
      await next();
    } catch (err) {
      const mapped = mapScopeboundError(err, options);
      if (!mapped || ctx.headerSent) throw err;
      report(err, mapped, ctx);
      if (options.render) {
        options.render(mapped, ctx);
        return;
      }
      ctx.status = mapped.status;
      for (const [name, value] of Object.entries(mapped.headers)) ctx.set(name, value);
      ctx.set('cache-control', 'no-store');
      ctx.body = mapped.body;
    }
  };
}
