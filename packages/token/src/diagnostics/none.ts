/**
 * `#diagnostics-channel` everywhere but Node (Bun, Deno, workerd, edge runtimes, browsers): channels nobody can
 * subscribe to, so instrumented code takes its unobserved path and nothing Node-only is bundled.
 */
import type { ChannelLike, TracingChannelLike } from './types';

const silentTracing: TracingChannelLike<object> = Object.freeze({
  hasSubscribers: false,
  tracePromise: <T>(fn: () => Promise<T>) => fn(),
});

const silent: ChannelLike<unknown> = Object.freeze({ hasSubscribers: false, publish: () => undefined });

export function tracingChannel<C extends object>(_name: string): TracingChannelLike<C> {
  return silentTracing as TracingChannelLike<C>;
}

export function channel<M>(_name: string): ChannelLike<M> {
  return silent as ChannelLike<M>;
}
