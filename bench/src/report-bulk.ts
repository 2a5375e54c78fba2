/** The bulk benchmark's data shape, its RESULTS.md section and its target row (rendered by report.ts). */
import type { BenchResult } from './lib/results';

export interface BulkScenario {
  id: string;
  label: string;
  /** Scopebound: the runner's own elapsed time; killed: wall time of the three processes; SDK: the loop. */
  elapsedMs: number;
  wallMs: number;
  kills: number;
  done: number;
  failed: number;
  toCheck: number;
  /** Server side (the emulator's journal): users whose update was applied, applied more than once, 429s. */
  applied: number;
  sentTwice: number;
  status429: number;
  mints: number;
  firstError?: string;
}

export interface BulkData {
  calls: number;
  burst: number;
  rps: number;
  theoreticalMinMs: number;
  scenarios: BulkScenario[];
}

const TARGET_BULK_RATIO = 1.05;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** Results saved before the emulator's token endpoint had its own bucket counted its token request. */
export const tokenTerm = (d: { calls: number; burst: number; rps: number; theoreticalMinMs: number }) =>
  Math.abs(d.theoreticalMinMs - ((d.calls + 1 - d.burst) / d.rps) * 1000) < 1 ? ' + 1 token request' : '';

/** The target: the uninterrupted Scopebound run within 1.05× the minimum, 0 failed, 0 applied twice. */
export function bulkTargetRow(r: BenchResult<BulkData>): string[] | undefined {
  const c = r.data.scenarios.find((x) => x.id === 'scopebound');
  if (!c) return undefined;
  const ratio = c.elapsedMs / r.data.theoreticalMinMs;
  const ok = ratio <= TARGET_BULK_RATIO && c.failed === 0 && c.sentTwice === 0 && c.applied === r.data.calls;
  return ['Bulk: 10,000 updates ≤ 1.05× the minimum, 0 failed, 0 sent twice', `${ratio.toFixed(3)}×, failed ${c.failed}, sent twice ${c.sentTwice}`, ok ? '✅ met' : '❌ missed'];
}

export function bulkSection(r: BenchResult<BulkData>): string[] {
  const d = r.data;
  return [
    '## 7. Bulk change (`scopebound bulk` / `runBulk`)',
    '',
    `${d.calls.toLocaleString('en-US')} \`users.update\` app_metadata changes (one per user, distinct bodies) against the emulator (in the driver process) with a tenant bucket of burst ${d.burst} refilled at ${d.rps}/s; each client runs in its own child process. Minimum: (${d.calls} calls${tokenTerm(d)} − ${d.burst}) ÷ ${d.rps}/s = **${s(d.theoreticalMinMs)}**. "applied", "sent twice" and 429s are counted server side from the emulator's journal. One run per scenario.`,
    '',
    '| contender | completion | vs minimum | done / failed / to check | applied on the server | sent twice | 429s | token mints |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...d.scenarios.map((c) =>
      `| ${c.label} | **${s(c.elapsedMs)}** (wall ${s(c.wallMs)}) | ${(c.elapsedMs / d.theoreticalMinMs).toFixed(3)}× | ${c.done} / ${c.failed} / ${c.toCheck} | ${c.applied} | **${c.sentTwice}** | ${c.status429} | ${c.mints} |`,
    ),
    '',
    'Completion for the killed scenario is the wall time of its three processes (start-up included). "to check": calls whose `send` line was journaled when a process was killed (in flight, held by the pacer, or waiting out a 429); `users.update` is not idempotent, so they are listed in the failure report and not resent. `--resend-in-flight` resends them.',
    ...d.scenarios.filter((c) => c.toCheck > 0).map((c) => `${c.label}: of the ${c.toCheck} calls to check, the server had applied ${c.applied - c.done} (applied − done; every done call was applied exactly once) and never received the other ${c.toCheck - (c.applied - c.done)}.`),
    ...d.scenarios.filter((c) => c.firstError).map((c) => `\n${c.label}, first error: \`${c.firstError}\``),
    '',
  ];
}
