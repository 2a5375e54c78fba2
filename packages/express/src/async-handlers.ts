/**
 * Express 4 does not catch a rejected `async` handler: the documented `allowScopes(...), async (req, res) => …`
 * pattern would end in an unhandled rejection. The first time a guarded route runs, its later handlers are
 * wrapped so a rejection goes to `next(err)` (and so to `scopeboundErrorHandler`). On Express 5, which handles
 * promises itself, the wrapper changes nothing.
 */
import { ScopeboundError } from '@scopebound/token';
import type { NextLike } from './request-like';

type Handler = (this: unknown, req: unknown, res: unknown, next: NextLike) => unknown;
interface LayerLike {
  handle?: unknown;
}

const guarded = new WeakSet<object>();
const WRAPPED = Symbol.for('@scopebound/express.async-wrapped');

function wrap(fn: Handler): Handler {
  // Three parameters, like the handler it replaces (Express tells error handlers apart by arity).
  const wrapped = function scopeboundAsyncHandler(this: unknown, req: unknown, res: unknown, next: NextLike): unknown {
    const result = fn.call(this, req, res, next);
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, (err: unknown) => next(err ?? new ScopeboundError('ERR_HANDLER_REJECTED', 'A route handler rejected without a reason; reject with an Error.')));
      return undefined;
    }
    return result;
  };
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  return wrapped;
}

/** Wrap the handlers that follow `self` in the request's route (once per route). */
export function guardAsyncHandlers(req: object, self: unknown): void {
  const route = (req as { route?: { stack?: readonly LayerLike[] } }).route;
  if (!route || !Array.isArray(route.stack) || guarded.has(route)) return;
  guarded.add(route);
  let after = false;
  for (const layer of route.stack) {
    const fn = layer.handle;
    if (fn === self) {
      after = true;
      continue;
    }
    if (!after || typeof fn !== 'function' || fn.length > 3 || (fn as unknown as Record<symbol, unknown>)[WRAPPED]) continue;
    layer.handle = wrap(fn as Handler);
  }
}
