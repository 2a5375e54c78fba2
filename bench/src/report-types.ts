/** The RESULTS.md section of the types benchmark (types.ts): type-check cost and hover latency against auth0. */
import type { BenchResult } from './lib/results';
import type { TypesData } from './lib/bench-data';
import type { Summary } from './lib/stats';

const ms = (s: Summary) => `${s.median.toFixed(0)} ms (${s.min.toFixed(0)} – ${s.max.toFixed(0)})`;
const ratio = (a: number, b: number) => `${((a / b) * 100).toFixed(0)} %`;

/** Scopebound's medians over auth0's: check time and hover after an edit (the target: no slower, ≤ 100 %). */
export function typesRatios(d: TypesData): { check: number; hover: number } | undefined {
  const sb = d.contenders.find((c) => c.id === 'scopebound');
  const a0 = d.contenders.find((c) => c.id === 'auth0');
  if (!sb || !a0) return undefined;
  return { check: sb.checkMs.median / a0.checkMs.median, hover: sb.hoverAfterEditMs.median / a0.hoverAfterEditMs.median };
}

export function typesSection(r: BenchResult<TypesData>): string[] {
  const d = r.data;
  const rows = d.contenders.map(
    (c) =>
      `| ${c.label} | **${ms(c.checkMs)}** | ${ms(c.totalMs)} | ${c.memoryMiB.median.toFixed(0)} MiB | ${c.types.toLocaleString('en-US')} | ${ms(c.hoverColdMs)} | **${ms(c.hoverAfterEditMs)}** |`,
  );
  const sb = d.contenders.find((c) => c.id === 'scopebound');
  const q = typesRatios(d);
  return [
    '## 12. Types: type-check time and hover latency',
    '',
    `The same typical user file (\`bench/src/types-fixtures/\`: get, update, list, nested lists, create) against the built packages, NodeNext resolution, \`skipLibCheck\`. \`tsc --noEmit --extendedDiagnostics\` in a fresh process; hover = quick info on \`mgmt.users.list\` through a TypeScript LanguageService (what tsserver answers an editor), cold and after each one-character edit. ${d.rounds} alternating rounds, ${d.edits} edits each; median (min – max).`,
    '',
    '| contender | check time | total time | memory | types | hover, cold | hover after an edit |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...(q ? [`Scopebound ÷ auth0: check time **${ratio(q.check, 1)}**, hover after an edit **${ratio(q.hover, 1)}** (target: no slower, ≤ 100 %: ${q.check <= 1 && q.hover <= 1 ? '✅ met' : '❌ missed'}).`, ''] : []),
    ...(sb ? ['What the hover shows (Scopebound):', '', '```', sb.hoverDisplay, '', sb.hoverDocs, '```', ''] : []),
  ];
}
