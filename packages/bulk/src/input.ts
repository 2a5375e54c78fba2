/** Reading a JSONL input file: one call per line, blank lines ignored, every malformed line named by number. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { callProblem, type BulkCall } from './call';
import { BulkInputError, type LineProblem } from './errors';

export type InputLine = { line: number; call: BulkCall; problem?: undefined } | { line: number; call?: undefined; problem: string };

/** The pure decision for one line of text: a call, a problem, or undefined for a blank line. */
export function parseLine(text: string, line: number): InputLine | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { line, problem: `not JSON (${(error as Error).message})` };
  }
  const problem = callProblem(value);
  if (problem) return { line, problem };
  const v = value as { operation: string; params?: Record<string, unknown>; body?: unknown };
  return { line, call: { operation: v.operation, ...(v.params ? { params: v.params } : {}), ...(v.body !== undefined ? { body: v.body } : {}), line } };
}

/** Every line of the file, parsed (blank lines skipped). */
export async function* readInputLines(path: string): AsyncGenerator<InputLine> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n += 1;
    const parsed = parseLine(text, n);
    if (parsed) yield parsed;
  }
}

/** One pass over the file: the number of calls, or `BulkInputError` listing every malformed line. */
export async function validateInput(path: string, onCall?: (call: BulkCall) => void): Promise<{ calls: number }> {
  const problems: LineProblem[] = [];
  let calls = 0;
  for await (const entry of readInputLines(path)) {
    if (entry.problem !== undefined) problems.push({ line: entry.line, message: entry.problem });
    else {
      calls += 1;
      onCall?.(entry.call);
    }
  }
  if (problems.length > 0) throw new BulkInputError(problems);
  return { calls };
}

/** The calls of a file already validated by `validateInput` (a line that went bad since is an error). */
export async function* readCalls(path: string): AsyncGenerator<BulkCall> {
  for await (const entry of readInputLines(path)) {
    if (entry.problem !== undefined) throw new BulkInputError([{ line: entry.line, message: entry.problem }]);
    yield entry.call;
  }
}
