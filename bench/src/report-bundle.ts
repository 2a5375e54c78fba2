/** The bundle benchmark's data shape and its RESULTS.md section (rendered by report.ts). */
import type { BenchResult } from './lib/results';

export interface BundleData {
  readonly sizes: readonly { id: string; label: string; bytes: number; gzipBytes: number; undici: boolean }[];
}

const BUDGET = 0.5;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export function bundleSection(r: BenchResult<BundleData>): string[] {
  const ours = r.data.sizes.find((s) => s.id === 'scopebound');
  if (!ours) return ['## 8. Bundle size', '', '_No Scopebound measurement._', ''];
  const rows = r.data.sizes.map((s) => {
    const ratio = s.id === 'scopebound' ? '—' : `${((ours.bytes / s.bytes) * 100).toFixed(1)} %${s.id === 'auth0' ? (ours.bytes / s.bytes <= BUDGET ? ' ✅ (budget ≤ 50 %)' : ' ❌ (budget ≤ 50 %)') : ''}`;
    return `| ${s.label} | **${kb(s.bytes)}** | ${kb(s.gzipBytes)} | ${ratio} | ${s.undici ? 'yes' : 'no'} |`;
  });
  return [
    '## 8. Bundle size (a Worker handler calling `users.get`)',
    '',
    'The same Worker handler (`fetch` → one client → `users.get`), bundled by esbuild: minified, ESM, `workerd`/`worker`/`browser`',
    'conditions, Node built-ins external. Byte sizes are deterministic; `test/runtimes/test/bundle-budget.test.ts` enforces the budget',
    '(≤ 50 % of the official SDK\'s `ManagementClient` handler, undici never inside) in CI.',
    '',
    '| handler on | minified | gzip | Scopebound ÷ this | undici inside |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'The generated operation table is most of our bytes; against the SDK\'s per-resource `auth0/users` path we are larger (a',
    'per-resource slice of the table is the next step; see the runtimes issue note).',
    '',
  ];
}
