/** The pure rule that picks how many calls to keep in flight from the observed throughput and latency. */

export interface ConcurrencyState {
  readonly current: number;
  readonly min: number;
  readonly max: number;
}

export interface ConcurrencySample {
  /** Calls completed per second over the last window. */
  readonly throughput: number;
  /** The shortest call latency seen recently (ms): the service time without queueing. */
  readonly minLatencyMs: number;
}

/**
 * Little's law with headroom: to sustain throughput X at service time S, about X·S calls must be in flight.
 * While nothing limits the rate, throughput grows with concurrency, so the target grows (by at least one);
 * once the tenant's limit (the client's pacer) caps throughput, the target settles at 2 × limit × S + 2,
 * and calls do not pile up in the pacer's queue (where a crash would leave them "in flight").
 */
export function nextConcurrency(state: ConcurrencyState, sample: ConcurrencySample): ConcurrencyState {
  if (!(sample.throughput > 0) || !(sample.minLatencyMs > 0)) return state;
  const needed = (sample.throughput * sample.minLatencyMs) / 1000;
  const saturated = needed < state.current * 0.6; // most slots are waiting: the rate, not concurrency, limits
  const target = saturated ? Math.ceil(needed * 2) + 2 : state.current + Math.max(1, Math.ceil(state.current * 0.25));
  return { ...state, current: Math.min(state.max, Math.max(state.min, target)) };
}
