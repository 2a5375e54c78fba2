/**
 * What the store tells its owner: the `onEvent` events and the log lines, both guarded so that a failing
 * listener or logger never breaks a token request, and both free of tokens and keys.
 */
import type { InvalidValueReason } from './encryption';
import type { RedisUnavailableReason } from './errors';

export interface RedisStoreLogger {
  warn(message: string): void;
  info?(message: string): void;
}

/** What the store reports through `onEvent`. Never contains a token, an encryption key or a provider key. */
export type RedisStoreEvent =
  | {
      /** Redis stopped answering; emitted once per outage (the first failing command). */
      readonly type: 'unavailable';
      readonly command: string;
      readonly reason: RedisUnavailableReason;
      readonly message: string;
    }
  | {
      /** The first command that succeeded after an outage. */
      readonly type: 'recovered';
      readonly downForMs: number;
    }
  | {
      /** A stored value was refused and treated as a miss (tampered, wrong or unknown key, …). */
      readonly type: 'invalid-value';
      /** The SHA-256 (base64url) of the provider's key, as used in the Redis key. */
      readonly keyHash: string;
      readonly reason: InvalidValueReason;
      readonly keyId?: string;
    }
  | {
      /** The pub/sub connection used by `waitFor` failed; waiters poll instead until it is back. */
      readonly type: 'subscriber-error';
      readonly message: string;
    };

export interface Reporter {
  emit(event: RedisStoreEvent): void;
  log(level: 'warn' | 'info', message: string): void;
}

export function createReporter(onEvent: ((event: RedisStoreEvent) => void) | undefined, logger: RedisStoreLogger | false): Reporter {
  return {
    emit(event) {
      try {
        onEvent?.(event);
      } catch {
        // a listener's failure must not break a token request
      }
    },
    log(level, message) {
      if (logger === false) return;
      try {
        if (level === 'info' && logger.info) logger.info(message);
        else logger.warn(message);
      } catch {
        // ignore logger failures
      }
    },
  };
}

/** Only the name and message: ioredis errors carry the command's arguments (a token) on `command.args`. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
