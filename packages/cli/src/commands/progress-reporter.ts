/**
 * Progress on the terminal, for every long-running command (bulk, export): a bar rewritten in place on a TTY
 * (stderr, not under CI or TERM=dumb), else a plain line through `io.err` when it changed and at most every
 * `minIntervalMs`.
 */
import type { CliIO } from '../io';

/** One progress state, as the two renderings a command provides. */
export interface ProgressView {
  bar(columns: number): string;
  line(): string;
}

export interface ProgressReporter {
  update(view: ProgressView, options?: { force?: boolean }): void;
  /** Ends the bar's line (TTY). */
  end(): void;
}

export function progressReporter(io: CliIO, options: { minIntervalMs?: number; now?: () => number } = {}): ProgressReporter {
  const tty = Boolean(process.stderr.isTTY) && io.env.CI === undefined && io.env.TERM !== 'dumb';
  const minIntervalMs = options.minIntervalMs ?? 2_000;
  const now = options.now ?? Date.now;
  let lastLine: string | undefined;
  let lastAt = -Infinity;
  let drawn = false;
  return {
    update(view, { force = false } = {}) {
      if (tty) {
        process.stderr.write(`\r${view.bar(process.stderr.columns ?? 80)}`);
        drawn = true;
        return;
      }
      const line = view.line();
      const at = now();
      if (line === lastLine || (!force && at - lastAt < minIntervalMs)) return;
      lastLine = line;
      lastAt = at;
      io.err(line);
    },
    end() {
      if (tty && drawn) process.stderr.write('\n');
      drawn = false;
    },
  };
}
