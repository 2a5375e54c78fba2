/** The bundle benchmark's data shape and its RESULTS.md section (rendered by report.ts). */
import { BUNDLE_BUDGETS } from './bundle-budgets';
import type { BenchResult } from './lib/results';

export interface BundleData {
  readonly sizes: readonly { id: string; label: string; bytes: number; gzipBytes: number; undici: boolean; resources?: readonly string[]; tableBytes?: number }[];
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const pct = (r: number) => `${(r * 100).toFixed(1)} %`;

export function bundleSection(r: BenchResult<BundleData>): string[] {
  const byId = new Map(r.data.sizes.map((s) => [s.id, s]));
  const full = byId.get('scopebound');
  if (!full) return ['## 8. Bundle size', '', '_No Scopebound measurement._', ''];
  const slice = byId.get('scopebound-users');
  const rows = r.data.sizes.map((s) => {
    const table = s.resources === undefined || !s.id.startsWith('scopebound') ? '' : s.resources.length > 2 ? `all ${s.resources.length} resources` : s.resources.join(' + ');
    return `| ${s.label} | **${kb(s.bytes)}** | ${kb(s.gzipBytes)} | ${table} | ${s.undici ? 'yes' : 'no'} |`;
  });
  const budgets = BUNDLE_BUDGETS.flatMap((b) => {
    const ours = byId.get(b.ours);
    const peer = byId.get(b.peer);
    if (!ours || !peer) return [];
    const ratio = ours.bytes / peer.bytes;
    const target = b.target === undefined ? '' : ` · target ≤ ${pct(b.target)} ${ratio <= b.target ? '✅' : '❌ not reached'}`;
    return [`| ${ours.label} ÷ ${peer.label} | **${pct(ratio)}** (gzip ${pct(ours.gzipBytes / peer.gzipBytes)}) | ≤ ${pct(b.max)} ${ratio <= b.max ? '✅' : '❌'}${target} |`];
  });
  return [
    '## 8. Bundle size (a Worker handler calling `users.get`)',
    '',
    'The same Worker handler (`fetch` → one client → `users.get`), bundled by esbuild: minified, ESM, `workerd`/`worker`/`browser`',
    'conditions, Node built-ins external. Scopebound is measured with the whole client (`@scopebound/management`) and with the',
    'per-resource entry (`@scopebound/management/resources/users`: the same runtime over the generated users slice of the table).',
    'Byte sizes are deterministic; `test/runtimes/test/bundle-budget.test.ts` enforces the CI budgets (and that undici is never inside,',
    'nor the whole table in the per-resource bundle).',
    '',
    '| handler on | minified | gzip | operation table | undici inside |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '| budget | ratio (minified) | CI budget |',
    '| --- | --- | --- |',
    ...budgets,
    '',
    ...(slice?.tableBytes !== undefined && full.tableBytes !== undefined
      ? [
          `Of these bytes the generated table is ${kb(full.tableBytes)} (all resources) and ${kb(slice.tableBytes)} (users slice); the rest,`,
          `${kb(slice.bytes - slice.tableBytes)}, is the runtime (token provider, transport, retries, pacer, errors, the scope list), which is`,
          'what keeps the per-resource handler above the 50 % target against `auth0/users`.',
          '',
        ]
      : []),
  ];
}
