/** Reads generated rows modules (`generated/tables/*.ts`) back into `OperationDef`s: one JSON tuple per line. */
import type { OperationDef } from '../../packages/management/src/generated/operations';
import { rows, type Row } from '../../packages/management/src/table-rows';

export function decodeRows(...modules: readonly string[]): OperationDef[] {
  const tuples = modules.flatMap((text) =>
    text
      .split('\n')
      .filter((line) => line.startsWith('  ["'))
      .map((line) => JSON.parse(line.trim().replace(/,$/, '')) as Row),
  );
  return [...rows(tuples)];
}
