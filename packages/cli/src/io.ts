/** What a command talks to (its I/O) and the one error a bad command line throws. */
import { ScopeboundError } from '@scopebound/token';

/** Where a command writes, so tests can capture output without touching process.stdout. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  /** Resolves when the user asks to stop (Ctrl-C); long-running commands wait on it. */
  untilSignal?: () => Promise<void>;
}

/** A command line that cannot be run as given (a `ScopeboundError`); the CLI prints it with the usage. */
export class CliUsageError extends ScopeboundError {
  static override readonly code: string = 'ERR_CLI_USAGE';
  declare readonly code: 'ERR_CLI_USAGE';
  constructor(message: string) {
    super('ERR_CLI_USAGE', message);
  }
}
