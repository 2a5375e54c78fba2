#!/usr/bin/env node
/** The `scopebound` binary: runCli on process.argv with process I/O; exit codes as runCli returns them. */
import { runCli } from './run';

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
  env: process.env,
  untilSignal: () =>
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
};

runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`scopebound: ${error.message}\n`);
    process.exitCode = 1;
  },
);
