/**
 * Bounded command execution and outage tracking: every Redis command runs under `commandTimeoutMs`; the
 * first failure marks Redis down (one `unavailable` event and log line per outage), commands then fail fast
 * while one probe at a time checks whether it is back (then one `recovered`).
 */
import type { ClientAdapter } from './client-adapter';
import { RedisStoreClosedError, RedisUnavailableError } from './errors';
import { describeError, type Reporter } from './store-events';

export type RunCommand = <T>(command: string, op: (signal: AbortSignal) => Promise<T>) => Promise<T>;

export interface CommandRunner {
  readonly run: RunCommand;
  /** False between a failed command and the next successful one. */
  available(): boolean;
}

const TIMEOUT = Symbol('timeout');

export function createCommandRunner(deps: {
  adapter: ClientAdapter;
  commandTimeoutMs: number;
  reporter: Reporter;
  isClosed: () => boolean;
}): CommandRunner {
  const { adapter, commandTimeoutMs, reporter } = deps;
  let down = false;
  let downSince = 0;
  let probing = false;

  function markDown(error: RedisUnavailableError): RedisUnavailableError {
    if (!down) {
      down = true;
      downSince = performance.now();
      const event = { type: 'unavailable', command: error.command, reason: error.reason, message: error.message } as const;
      reporter.emit(event);
      reporter.log('warn', `[@scopebound/redis] ${error.message}`, event);
    }
    return error;
  }

  function markUp(): void {
    if (!down) return;
    down = false;
    const downForMs = Math.round(performance.now() - downSince);
    reporter.emit({ type: 'recovered', downForMs });
    reporter.log('info', `[@scopebound/redis] Redis is back after ${downForMs} ms; the fleet shares tokens again.`, { type: 'recovered', downForMs });
  }

  /** Runs one command, bounded by commandTimeoutMs, failing fast while Redis is known to be down. */
  async function run<T>(command: string, op: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (deps.isClosed()) throw new RedisStoreClosedError(command);
    const state = adapter.state();
    if (state === 'down' || (state === 'connecting' && down)) {
      throw markDown(new RedisUnavailableError(command, 'not-ready', 'the Redis client is not connected'));
    }
    let probe = false;
    if (down) {
      // One command at a time checks whether Redis is back; the others fail fast meanwhile.
      if (probing) throw new RedisUnavailableError(command, 'recovering', 'waiting for a probe command');
      probing = probe = true;
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<typeof TIMEOUT>((resolve) => {
      // After a stalled event loop, timers run before pending I/O: give a reply that already arrived one turn
      // (setImmediate runs after the poll phase) before calling it a timeout.
      timer = setTimeout(() => {
        setImmediate(() => {
          controller.abort();
          resolve(TIMEOUT);
        });
      }, commandTimeoutMs);
    });
    try {
      const pending = op(controller.signal);
      pending.catch(() => {}); // it may reject after the timeout won the race
      const result = await Promise.race([pending, timeout]);
      if (result === TIMEOUT) {
        throw markDown(new RedisUnavailableError(command, 'timeout', `no reply within ${commandTimeoutMs} ms`));
      }
      markUp();
      return result;
    } catch (error) {
      if (error instanceof RedisUnavailableError) throw error;
      throw markDown(new RedisUnavailableError(command, 'error', describeError(error)));
    } finally {
      clearTimeout(timer);
      if (probe) probing = false;
    }
  }

  return { run, available: () => !down };
}
