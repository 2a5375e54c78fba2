/** The emulator's time: a base clock plus an offset that only moves forward. */
import { EmulatorOptionError } from './errors';

/** A source of time in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** The emulator's clock: a base clock plus an offset that the admin API can advance. */
export interface VirtualClock extends Clock {
  /** Move time forward (never backwards) by `ms` milliseconds. */
  advance(ms: number): number;
  /** The total offset applied to the base clock. */
  offset(): number;
  /** Drop the offset. */
  reset(): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export function createVirtualClock(base: Clock = systemClock): VirtualClock {
  let offset = 0;
  return {
    now: () => base.now() + offset,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new EmulatorOptionError('ms', 'advance(ms) takes a finite, non-negative number');
      offset += ms;
      return base.now() + offset;
    },
    offset: () => offset,
    reset() {
      offset = 0;
    },
  };
}
