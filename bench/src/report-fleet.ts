/** The fleet rate-limit benchmark's RESULTS.md section and its target row (rendered by report.ts). */
import type { FleetData } from './lib/bench-data';
import type { BenchResult } from './lib/results';

// Issue #17: the shared limiter at 8 processes.
const TARGET_RATIO = 1.05;
const TARGET_429_SHARE = 0.01;

const status = (ok: boolean) => (ok ? '✅ met' : '❌ missed');
const x = (v: number) => `${v.toFixed(3)}×`;

export function fleetSection(r: BenchResult<FleetData>): string[] {
  const d = r.data;
  const rows = d.fleets.flatMap((f) =>
    f.contenders.map((c) => {
      const calls = f.processes * f.perProcess;
      const failed = c.runs.map((run) => run.failed).join(', ');
      return `| ${f.processes} × ${f.perProcess} | ${c.label} | **${x(c.ratio.median)}** (${x(c.ratio.min)} – ${x(c.ratio.max)}) | ${c.runs.map((run) => run.status429).join(', ')} (${((c.status429.median / calls) * 100).toFixed(1)} % of calls) | ${failed} |`;
    }),
  );
  return [
    '## 10. One rate limit for the whole fleet',
    '',
    `1, 4 and 8 processes (each its own client, concurrency ${d.concurrency}) calling \`users.get\` against the emulator (its own process) with one tenant-wide bucket of burst ${d.burst} refilled at ${d.rps}/s; 600 calls for 1 process, 150 per process otherwise. Completion is the wall time from \`go\` to the last process's last call, as a multiple of the theoretical minimum (calls − burst) ÷ ${d.rps}/s (the emulator's token endpoint has its own bucket, as Auth0's Authentication API does). 429s are counted from the emulator's journal. ${d.rounds} round(s), contenders alternating; median (min – max) of the ratio, 429s and failed calls per run.`,
    '',
    '| processes × calls | contender | completion ÷ minimum | 429s per run | failed calls per run |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ];
}

export function fleetTargetRow(r: BenchResult<FleetData>): string[] | undefined {
  const f = r.data.fleets.find((x) => x.processes === 8);
  const c = f?.contenders.find((x) => x.id === 'scopebound-shared');
  if (!f || !c || c.runs.length === 0) return undefined;
  const calls = f.processes * f.perProcess;
  const met = c.ratio.median <= TARGET_RATIO && c.status429.median <= calls * TARGET_429_SHARE && c.runs.every((run) => run.failed === 0);
  return [
    'Shared limiter, 8 processes: ≤ 1.05× the minimum, 429s ≤ 1 % of calls, 0 failed',
    `${x(c.ratio.median)}, ${c.status429.median} 429s (${((c.status429.median / calls) * 100).toFixed(1)} %), failed ${c.runs.map((run) => run.failed).join('/')}`,
    status(met),
  ];
}
