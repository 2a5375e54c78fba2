/**
 * What the store tells its owner: the `onEvent` events (also published on `scopebound:redis:event`) and the log
 * lines, all guarded so that a failing listener or logger never breaks a token request, and all free of tokens
 * and keys.
 */
import { isLogger, type LogFields, type Logger } from '@scopebound/token';
import { CHANNELS, channel } from '@scopebound/token/diagnostics';
import type { InvalidValueReason } from './encryption';
import type { RedisUnavailableReason } from './errors';

/**
 * @deprecated the message-only logger of earlier versions (`warn(message)`, optional `info(message)`); still
 * accepted. Pass a pino-compatible `Logger` (`warn(fields, message)`, from @scopebound/token) instead.
 */
export interface RedisStoreLegacyLogger {
  warn(message: string): void;
  info?(message: string): void;
}

/** The `logger` option: a pino-compatible logger (`console` by default), or the legacy message-only form. */
export type RedisStoreLogger = Logger | RedisStoreLegacyLogger;

const storeEvents = channel<RedisStoreEvent>(CHANNELS.storeEvent);

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
  /** One log line; `fields` (the event it reports) go to a pino-compatible logger, a legacy one gets the message alone. */
  log(level: 'warn' | 'info', message: string, fields: LogFields): void;
}

export function createReporter(onEvent: ((event: RedisStoreEvent) => void) | undefined, logger: RedisStoreLogger | false): Reporter {
  return {
    emit(event) {
      try {
        if (storeEvents.hasSubscribers) storeEvents.publish(event);
        onEvent?.(event);
      } catch {
        // a listener's failure must not break a token request
      }
    },
    log: (level, message, fields) => logLine(logger, level, message, fields),
  };
}

/** One guarded log line to either logger form (fields to a pino-compatible one, the message alone to a legacy one). */
export function logLine(logger: RedisStoreLogger | false, level: 'warn' | 'info', message: string, fields: LogFields): void {
  if (logger === false) return;
  try {
    if (isLogger(logger)) logger[level]({ ...fields, scopebound: 'redis' }, message);
    else if (level === 'info' && logger.info) logger.info(message);
    else logger.warn(message);
  } catch {
    // a logger's failure must not break a call
  }
}

/** Only the name and message: ioredis errors carry the command's arguments (a token) on `command.args`. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
