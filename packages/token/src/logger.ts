/**
 * The one logger shape every Scopebound package writes to: pino-compatible (`logger.warn(fields, message)` with
 * levels debug/info/warn/error), `console` by default, `false` to silence. Fields are facts we choose (codes,
 * operations, scopes, statuses); never a token, a secret or a body. A logger that throws never breaks a call.
 */
import { InvalidOptionError } from './errors';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, unknown>>;

/** Any pino-compatible logger (pino, bunyan-style, `console` through `consoleLogger`). */
export type Logger = { readonly [L in LogLevel]: (fields: LogFields, message: string) => void };

/** A logger that always answers: the resolved form of a `logger` option. */
export type Log = (level: LogLevel, fields: LogFields, message: string) => void;

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * The default: the runtime's `console`, message first, then the fields (read at call time, so tests may spy on
 * it). Debug lines are dropped (console has no level filter); pass a logger to see them.
 */
export const consoleLogger: Logger = Object.freeze({
  debug: () => undefined,
  info: (fields: LogFields, message: string) => console.info(message, fields),
  warn: (fields: LogFields, message: string) => console.warn(message, fields),
  error: (fields: LogFields, message: string) => console.error(message, fields),
});

/** True for an object with the four level methods. */
export function isLogger(value: unknown): value is Logger {
  return typeof value === 'object' && value !== null && LEVELS.every((l) => typeof (value as Record<string, unknown>)[l] === 'function');
}

/**
 * Validate a `logger` option once (at construction) and resolve it: undefined → console, `false` → silent, a
 * logger → itself, each call guarded. `option` names the option in the error.
 */
export function resolveLogger(option: string, value: unknown): Log {
  if (value === false) return silent;
  const logger = value === undefined ? consoleLogger : value;
  if (!isLogger(logger)) {
    throw new InvalidOptionError(option, 'expected a pino-compatible logger (debug/info/warn/error methods called as `(fields, message)`), or `false`.');
  }
  return (level, fields, message) => {
    try {
      logger[level](fields, message);
    } catch {
      // a logger's failure must never break a call
    }
  };
}

const silent: Log = () => undefined;
