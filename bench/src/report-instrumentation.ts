/** The instrumentation benchmark's data shape and its RESULTS.md section (rendered by report.ts). */
import type { BenchResult } from './lib/results';
import type { Summary } from './lib/stats';

export interface InstrumentationData {
  rounds: number;
  measureMs: number;
  warmupMs: number;
  levels: {
    concurrency: number;
    contenders: { id: string; label: string; rps: Summary; cpuUsPerCall: Summary; errors: number }[];
    /** Per-round (undici rps / contender rps − 1) for 'off' and 'on'. */
    overheadVsUndici: Record<string, Summary>;
    /** Per-round (off rps / on rps − 1): the extra time per call the spans and metrics cost. */
    onVsOff: Summary;
  }[];
  /** Spans the discarding exporter received (every instrumented call makes one). */
  spansExported: number;
}

const signedPct = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)} %`;
const int = (v: number) => Math.round(v).toLocaleString('en-US');
const range = (s: Summary, f: (v: number) => string) => `${f(s.min)} – ${f(s.max)}`;

export function instrumentationSection(r: BenchResult<InstrumentationData>): string[] {
  const d = r.data;
  const out = [
    '## 11. Instrumentation cost (diagnostics channels off, and on with `@scopebound/opentelemetry`)',
    '',
    `\`users.get\` against the minimal local server (as in section 2). "off": nobody subscribes to Scopebound's diagnostics channels (the default; compare with section 2's Scopebound row). "on": \`instrumentScopebound()\` with the OpenTelemetry SDK's tracer provider (batch processor into a discarding exporter) and meter provider, a CLIENT span and the metrics per call. The same client serves both rows. Closed loop, ${d.rounds} alternating rounds of ${d.measureMs} ms per contender after a ${d.warmupMs} ms warm-up; median (min – max). ${int(d.spansExported)} spans were exported.`,
    '',
  ];
  for (const level of d.levels) {
    out.push(`### Concurrency ${level.concurrency}`, '');
    const rows = level.contenders.map((c) => {
      const o = level.overheadVsUndici[c.id];
      return `| ${c.label} | **${int(c.rps.median)}** (${range(c.rps, int)}) | ${o ? `${signedPct(o.median)} (${range(o, signedPct)})` : 'floor'} | ${c.cpuUsPerCall.median.toFixed(0)} µs | ${c.errors} |`;
    });
    out.push('| contender | req/s | overhead vs raw undici | client CPU/call | errors |', '| --- | --- | --- | --- | --- |', ...rows, '');
    out.push(`On vs off (per-round ratio): **${signedPct(level.onVsOff.median)}** (${range(level.onVsOff, signedPct)}).`, '');
  }
  return out;
}
