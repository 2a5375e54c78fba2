/** Where a command writes, so tests can capture output without touching process.stdout. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  /** Resolves when the user asks to stop (Ctrl-C); long-running commands wait on it. */
  untilSignal?: () => Promise<void>;
}

export class CliUsageError extends Error {
  readonly code = 'ERR_CLI_USAGE' as const;
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
