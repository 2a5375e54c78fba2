/** The many-tenants benchmark's data shape and its RESULTS.md section (rendered by report.ts). */
import type { BenchResult } from './lib/results';
import type { Summary } from './lib/stats';

export interface TenantsCase {
  readonly id: string;
  readonly label: string;
  /** The resolver's bound (Scopebound), or null (the SDK's map has none). */
  readonly maxTenants: number | null;
  readonly bytesPerTenant: Summary;
  readonly heapDeltaMiB: Summary;
  readonly clientsOpen: number;
  readonly live: number;
  readonly retiring: number;
  readonly evicted: number;
  readonly errors: number;
}

export interface TenantsData {
  readonly rounds: number;
  readonly tenants: number;
  readonly cases: readonly TenantsCase[];
  /** Scopebound ÷ auth0 retained bytes per tenant, per round. */
  readonly coldRatio: Summary;
  readonly warmRatio: Summary;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const pct = (v: number) => `${(v * 100).toFixed(0)} %`;
const int = (v: number) => Math.round(v).toLocaleString('en-US');

export function tenantsSection(r: BenchResult<TenantsData>): string[] {
  const d = r.data;
  const rows = d.cases.map(
    (c) =>
      `| ${c.label} | **${kib(c.bytesPerTenant.median)}** (${kib(c.bytesPerTenant.min)} – ${kib(c.bytesPerTenant.max)}) | ${c.heapDeltaMiB.median.toFixed(1)} MiB | ${kib((c.heapDeltaMiB.median * 2 ** 20) / Math.max(1, c.clientsOpen))} | ${int(c.clientsOpen)} (${int(c.live)} live + ${int(c.retiring)} in grace) | ${int(c.evicted)} | ${c.errors} |`,
  );
  return [
    '## 9. Many tenants',
    '',
    `${int(d.tenants)} tenants (each its own application) through the adapters' per-tenant resolver (\`resolveSettings\` of`,
    '`@scopebound/management/adapter`, what every framework adapter uses), against a map of the official SDK\'s `ManagementClient`',
    'per tenant. Retained heap after a full GC, divided by the tenants that passed through; one fresh process per sample,',
    `${d.rounds} alternating round(s), median (min – max). "Warm": one \`users.get\` per tenant (a token minted and cached per tenant).`,
    'Both contenders share the global fetch pool (an app with the default undici transport also holds one Agent per tenant client).',
    '',
    '| case | heap per tenant passed through | heap in all | per open client | clients open at the end | evicted | errors |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Scopebound ÷ auth0 per tenant: clients only **${pct(d.coldRatio.median)}** (${pct(d.coldRatio.min)} – ${pct(d.coldRatio.max)}), warm **${pct(d.warmRatio.median)}** (${pct(d.warmRatio.min)} – ${pct(d.warmRatio.max)}).`,
    'The bound: at most `maxTenants` live clients plus at most `maxTenants` evicted ones waiting out `evictionGraceMs`, so the',
    'bounded row holds 2 × maxTenants clients however many tenants pass through; the SDK map keeps every tenant forever.',
    '',
  ];
}
