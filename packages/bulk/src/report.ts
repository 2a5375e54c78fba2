/** The failure report: one JSON line per call that did not succeed (or must be checked), with its input line. */
import { writeFile } from 'node:fs/promises';
import type { BulkResult } from './runner';

/** The report's lines: failures first (code, message, status), then calls to check; `call` is the input call. */
export function failureReportLines(result: BulkResult): string[] {
  const failures = result.failed.map((f) =>
    JSON.stringify({ line: f.line, seq: f.seq, outcome: f.ambiguous ? 'failed-maybe-applied' : 'failed', code: f.code, status: f.status, message: f.message, earlier: f.earlier, call: strip(f.call) }),
  );
  const checks = result.toCheck.map((c) =>
    JSON.stringify({ line: c.line, seq: c.seq, outcome: 'check', message: 'in flight when an earlier run stopped; not idempotent, so not resent: check whether it was applied', call: strip(c.call) }),
  );
  return [...failures, ...checks];
}

function strip({ operation, params, body }: BulkResult['failed'][number]['call']) {
  return { operation, params, body };
}

/** Write the report (mode 0600: bodies may hold user data); returns the number of lines. */
export async function writeFailureReport(path: string, result: BulkResult): Promise<number> {
  const lines = failureReportLines(result);
  await writeFile(path, lines.length > 0 ? `${lines.join('\n')}\n` : '', { mode: 0o600 });
  return lines.length;
}
