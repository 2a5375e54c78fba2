/** The two shapes of `node:diagnostics_channel` that Scopebound publishes through (a structural subset, no Node types). */

/** A tracing channel (start/end/asyncStart/asyncEnd/error); `tracePromise` runs `fn` inside it. */
export interface TracingChannelLike<C extends object> {
  /** False when nobody subscribes: instrumented code then builds no context at all. */
  readonly hasSubscribers: boolean;
  tracePromise<T>(fn: () => Promise<T>, context: C): Promise<T>;
}

/** A plain channel. */
export interface ChannelLike<M> {
  readonly hasSubscribers: boolean;
  publish(message: M): void;
}
