/**
 * What an adapter's error handler does with a mapped error besides answering: the app's `onError` when it
 * has one, else one log line per 5xx through the `logger` (console by default, pino-compatible). The line
 * carries codes, the operation and scopes; never a token, a secret or Auth0's error text.
 */
import { InvalidOptionError, resolveLogger, type Logger } from '@scopebound/token';
import type { MappedError } from './map-error';

export interface ErrorReportOptions<Ctx> {
  /** See every mapped error (log it here: Scopebound errors never hold tokens). Exceptions are ignored. */
  onError?: (err: Error, mapped: MappedError, ctx: Ctx) => void;
  /** Without `onError`, 5xx responses are logged here (pino-compatible: `logger.warn(fields, message)`). Default `console`; `false` silences. */
  logger?: Logger | false;
}

export type ErrorReporter<Ctx> = (err: unknown, mapped: MappedError, ctx: Ctx) => void;

/** Validate the options once and build the reporter a handler calls for every error it maps. */
export function errorReporter<Ctx>(options: ErrorReportOptions<Ctx>): ErrorReporter<Ctx> {
  const { onError } = options;
  if (onError !== undefined && typeof onError !== 'function') throw new InvalidOptionError('onError', 'expected a function (err, mapped, request) => void.');
  const log = resolveLogger('logger', options.logger);
  return (err, mapped, ctx) => {
    if (onError) {
      try {
        onError(err as Error, mapped, ctx);
      } catch {
        // An observer must never break the response.
      }
      return;
    }
    if (mapped.status < 500) return;
    const e = err as { code?: unknown; operation?: unknown; message?: unknown };
    const fields = {
      scopebound: 'adapter',
      status: mapped.status,
      response: mapped.body.error.code,
      code: typeof e.code === 'string' ? e.code : undefined,
      ...(typeof e.operation === 'string' ? { operation: e.operation } : {}),
      ...(mapped.body.error.scopes ? { scopes: mapped.body.error.scopes } : {}),
    };
    log(mapped.status === 500 ? 'error' : 'warn', fields, `[@scopebound] answered ${mapped.status} ${mapped.body.error.code}: ${typeof e.message === 'string' ? e.message : 'unknown error'}`);
  };
}
