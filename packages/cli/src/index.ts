// @scopebound/cli public surface: the `scopebound` command, also callable in-process.
export { runCli, USAGE } from './run';
export { findOperation } from './commands/operations';
export { CliUsageError, type CliIO } from './io';
