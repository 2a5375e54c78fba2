/**
 * 9. Many tenants: 10,000 tenants (BENCH_TENANTS) through the adapters' per-tenant resolver, retained heap per
 * tenant after a full GC, cold (clients built, nothing minted) and warm (one `users.get` each: a token minted
 * and cached per tenant), vs a map of the official SDK's ManagementClient per tenant; and the resolver's bound
 * (maxTenants 1,000 with a 30 s eviction grace, 10,000 tenants passing through). One fresh process per sample,
 * contenders alternating within each round.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startChild } from './lib/child';
import { captureEnv, finishEnv } from './lib/env';
import { BENCH_DIR, SRC_DIR } from './lib/paths';
import { envInt, saveResult } from './lib/results';
import { rotate, summarize } from './lib/stats';
import { writeReport } from './report';
import type { TenantsCase, TenantsData } from './report-tenants';
import type { TenantsProbe, TenantsSample } from './tenants-worker';

function sample(probe: TenantsProbe): TenantsSample {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(SRC_DIR, 'tenants-worker.ts'), JSON.stringify(probe)], {
    cwd: BENCH_DIR,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    timeout: 10 * 60_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as TenantsSample;
}

async function main() {
  const rounds = envInt('BENCH_ROUNDS', 3);
  const tenants = envInt('BENCH_TENANTS', 10_000);
  const bound = Math.max(1, Math.floor(tenants / 10));
  const env = captureEnv();
  const server = await startChild('servers/fixed-server.ts', [JSON.stringify({ grant: 'all', allScopes: ['read:users'] })]);
  const origin = server.ready.origin as string;
  const cases: { id: string; label: string; probe: TenantsProbe }[] = [
    { id: 'scopebound-cold', label: `Scopebound resolver, maxTenants ${tenants}: clients only`, probe: { contender: 'scopebound', tenants, warm: false, maxTenants: tenants, graceMs: 30_000, origin } },
    { id: 'auth0-cold', label: 'auth0 `ManagementClient` per tenant (a Map): clients only', probe: { contender: 'auth0', tenants, warm: false, maxTenants: tenants, graceMs: 0, origin } },
    { id: 'scopebound-warm', label: `Scopebound resolver, maxTenants ${tenants}: one \`users.get\` each`, probe: { contender: 'scopebound', tenants, warm: true, maxTenants: tenants, graceMs: 30_000, origin } },
    { id: 'auth0-warm', label: 'auth0 `ManagementClient` per tenant: one `users.get` each', probe: { contender: 'auth0', tenants, warm: true, maxTenants: tenants, graceMs: 0, origin } },
    { id: 'scopebound-bounded', label: `Scopebound resolver, maxTenants ${bound}, grace 30 s: one \`users.get\` each`, probe: { contender: 'scopebound', tenants, warm: true, maxTenants: bound, graceMs: 30_000, origin } },
  ];
  const samples = new Map<string, TenantsSample[]>(cases.map((c) => [c.id, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of rotate(cases, r)) samples.get(c.id)!.push(sample(c.probe));
    process.stdout.write(`tenants: round ${r + 1}/${rounds}\r`);
  }
  process.stdout.write('\n');
  await server.stop();
  const of = (id: string) => samples.get(id)!;
  const ratio = (a: string, b: string) => summarize(of(a).map((x, i) => x.bytesPerTenant / of(b)[i]!.bytesPerTenant));
  const data: TenantsData = {
    rounds,
    tenants,
    cases: cases.map((c): TenantsCase => {
      const s = of(c.id);
      const last = s[s.length - 1]!;
      return {
        id: c.id,
        label: c.label,
        maxTenants: c.probe.contender === 'scopebound' ? c.probe.maxTenants : null,
        bytesPerTenant: summarize(s.map((x) => x.bytesPerTenant)),
        heapDeltaMiB: summarize(s.map((x) => x.heapDeltaMiB)),
        clientsOpen: last.clientsOpen,
        live: last.live,
        retiring: last.retiring,
        evicted: last.evicted,
        errors: s.reduce((n, x) => n + x.errors, 0),
      };
    }),
    coldRatio: ratio('scopebound-cold', 'auth0-cold'),
    warmRatio: ratio('scopebound-warm', 'auth0-warm'),
  };
  saveResult({ name: 'tenants', env: finishEnv(env), config: { rounds, tenants }, data });
  for (const c of data.cases) console.log(`${c.id.padEnd(19)} ${(c.bytesPerTenant.median / 1024).toFixed(1)} KiB/tenant, ${c.clientsOpen} clients open, ${c.errors} errors`);
  writeReport();
}

await main();
