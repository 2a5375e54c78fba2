/**
 * Renders RESULTS.md from results/*.json. Every benchmark calls it when it finishes; run it directly
 * (`pnpm --filter @scopebound/bench report`) to regenerate the page from the stored results.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchEnv } from './lib/env';
import { BENCH_DIR } from './lib/paths';
import { loadResults, type BenchResult } from './lib/results';
import type { Summary } from './lib/stats';
import { bulkSection, bulkTargetRow, tokenTerm } from './report-bulk';
import { bundleSection } from './report-bundle';
import { tenantsSection } from './report-tenants';
import { fleetSection, fleetTargetRow } from './report-fleet';
import { instrumentationSection } from './report-instrumentation';
import { typesRatios, typesSection } from './report-types';
import type { EmulatorData, FootprintData, ImportData, OverheadData, RateLimitData, StampedeData, TokenCacheData } from './lib/bench-data';

// Targets (issue 9, and the management issue for the constructed client).
const TARGET_IMPORT_RATIO = 0.25;
const TARGET_CONSTRUCT_MS = 1;
const TARGET_OVERHEAD = 0.15;
const TARGET_RATE_LIMIT_OVER = 0.1;

const ms = (v: number, digits = 1) => `${v.toFixed(digits)} ms`;
const pct = (v: number, digits = 1) => `${(v * 100).toFixed(digits)} %`;
const signedPct = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)} %`;
const int = (v: number) => Math.round(v).toLocaleString('en-US');
const range = (s: Summary, f: (v: number) => string) => `${f(s.min)} – ${f(s.max)}`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
const status = (ok: boolean) => (ok ? '✅ met' : '❌ missed');

function envRow(name: string, env: BenchEnv): string {
  const dirty = env.dirty?.length ? ` (uncommitted: ${env.dirty.join(', ')})` : '';
  return `| ${name} | ${env.date.slice(0, 16).replace('T', ' ')} UTC | ${env.node} | ${env.cpu} × ${env.cores} | ${env.loadAvgStart} → ${env.loadAvgEnd ?? '?'} | \`${env.commit}\`${dirty} |`;
}

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function importSection(r: BenchResult<ImportData>): string[] {
  const d = r.data;
  const sb = d.probes.find((p) => p.id === 'scopebound')!;
  return [
    '## 1. Import and start-up',
    '',
    `Fresh \`node\` process per sample (no loader), importing the built \`dist\`, then constructing a client with client-secret credentials. ${d.rounds} alternating rounds after a discarded warm-up round; median (min – max). "process" is spawn → exit as seen by the parent (includes Node's own start-up, see the floor row).`,
    '',
    ...table(
      ['contender', 'import + construct', 'import', 'construct', 'whole process', 'RSS after'],
      d.probes.map((p) => [
        p.label,
        `**${ms(p.total.median)}** (${range(p.total, (v) => v.toFixed(1))})`,
        ms(p.import.median),
        ms(p.construct.median, 2),
        ms(p.process.median, 0),
        `${p.rssMiB.median.toFixed(1)} MiB`,
      ]),
    ),
    '',
    `Scopebound ÷ auth0 (ESM, import + construct, per-round ratio): **${pct(d.ratio.median)}** (${range(d.ratio, (v) => pct(v, 0))}); CJS: ${pct(d.ratioCjs.median)}; vs auth0's sub-client path: ${pct(d.ratioSubpath.median)}. Target ≤ 25 %: ${status(d.ratio.median <= TARGET_IMPORT_RATIO)}.`,
    `Constructing the Scopebound client in a fresh process: ${ms(sb.construct.median, 2)} (target < 1 ms: ${status(sb.construct.median < TARGET_CONSTRUCT_MS)}; this is the first, unoptimised call in a cold process).`,
    '',
  ];
}

function overheadSection(r: BenchResult<OverheadData>): string[] {
  const d = r.data;
  const out = [
    '## 2. Per-call overhead (`users.get` against a minimal local server)',
    '',
    `The server (its own process) answers instantly with a fixed user JSON (and answers client credentials, so both SDKs mint once and then use their caches). Closed loop, ${d.rounds} alternating rounds of ${d.measureMs} ms per contender after a ${d.warmupMs} ms warm-up; median requests/s (min – max). Overhead = per-round (undici req/s ÷ contender req/s − 1), i.e. extra time per call over raw undici. "client CPU/call" is the client process's CPU time per call (less sensitive to other load on the machine than throughput).`,
    '',
  ];
  for (const level of d.levels) {
    out.push(`### Concurrency ${level.concurrency}`, '');
    out.push(
      ...table(
        ['contender', 'req/s', 'overhead vs raw undici', 'client CPU/call', 'errors'],
        level.contenders.map((c) => {
          const o = level.overheadVsUndici[c.id];
          const cpu = c.cpuUsPerCall;
          return [
            c.label,
            `**${int(c.rps.median)}** (${range(c.rps, int)})`,
            o ? `${signedPct(o.median)} (${range(o, signedPct)})` : 'floor',
            cpu ? `${cpu.median.toFixed(0)} µs` : '–',
            String(c.errors),
          ];
        }),
      ),
      '',
    );
  }
  const sb = d.levels.map((l) => ({ c: l.concurrency, o: l.overheadVsUndici.scopebound! }));
  out.push(`Target ≤ 15 % over raw undici: ${sb.map((x) => `c=${x.c}: ${signedPct(x.o.median)} ${status(x.o.median <= TARGET_OVERHEAD)}`).join('; ')}.`, '');
  return out;
}

function tokenCacheSection(r: BenchResult<TokenCacheData>): string[] {
  const d = r.data;
  return [
    '## 3. Token cache hit cost',
    '',
    `\`getToken\` on a warm cache, one caller awaiting each call, ${d.rounds} alternating rounds of ${d.measureMs} ms; median calls/s (min – max). Tokens minted during the whole run: ${d.mints} (one per provider).`,
    '',
    ...table(
      ['contender', 'calls/s', 'per call'],
      d.contenders.map((c) => [c.label, `**${int(c.callsPerSec.median)}** (${range(c.callsPerSec, int)})`, `${(c.nsPerCall / 1000).toFixed(2)} µs`]),
    ),
    '',
    `Scopebound ÷ auth0 calls/s (per round): ${d.ratioVsAuth0.median.toFixed(2)}× (${range(d.ratioVsAuth0, (v) => `${v.toFixed(2)}×`)}). auth0's provider caches one token for everything; Scopebound's looks up a token covering the requested scope set.`,
    '',
  ];
}

function stampedeSection(r: BenchResult<StampedeData>): string[] {
  const d = r.data;
  return [
    '## 4. Cold stampede',
    '',
    `${int(d.total)} concurrent calls spread over ${d.scopeSets} operations that each need a different scope, on empty caches (fresh processes), against the minimal server (token endpoint with ${d.mintDelayMs} ms latency). Mints counted at the server. ${d.rounds} rounds per scenario, alternating. A *narrowing* tenant grants exactly the requested scope (${d.scopeSets} granted sets possible); an *Auth0-like* tenant grants every scope of the application whatever is asked (real Auth0: 1 granted set). Redis runs use a unique key prefix, deleted afterwards.`,
    '',
    ...table(
      ['scenario', 'mints per run', 'target (1 per granted set)', 'failed calls', 'time to finish all calls'],
      d.scenarios.map((s) => [
        s.label,
        `**${s.runs.map((x) => x.mints).join(', ')}**`,
        s.target !== undefined ? `${s.target} ${status(s.runs.every((x) => x.mints === s.target))}` : 'n/a (one token for everything)',
        String(s.runs.reduce((n, x) => n + x.failed, 0)),
        `${ms(s.elapsedMs.median, 0)} (${range(s.elapsedMs, (v) => v.toFixed(0))})`,
      ]),
    ),
    '',
    'auth0 mints one token per process and uses it for every call (it never asks for a scope), so its token always carries every scope the application was granted. The time column is dominated by opening thousands of loopback connections at once (both SDKs use unlimited connections per origin by default) and is shown only to confirm the runs completed.',
    '',
  ];
}

function rateLimitSection(r: BenchResult<RateLimitData>): string[] {
  const d = r.data;
  return [
    '## 5. Rate-limit adherence',
    '',
    `${d.calls} \`users.get\` at concurrency ${d.concurrency} against the emulator (its own process) with a tenant-wide bucket of burst ${d.burst} refilled at ${d.rps}/s. Theoretical minimum: (${d.calls} calls${tokenTerm(d)} − ${d.burst}) ÷ ${d.rps}/s = **${(d.theoreticalMinMs / 1000).toFixed(2)} s**. 429s are counted from the emulator's journal. ${d.rounds} rounds, alternating; median (min – max).`,
    '',
    ...table(
      ['contender', 'completion', 'vs minimum', '429s received', 'failed calls (per run)'],
      d.contenders.map((c) => [
        c.label,
        `**${(c.elapsedMs.median / 1000).toFixed(2)} s** (${range(c.elapsedMs, (v) => (v / 1000).toFixed(2))})`,
        `${signedPct(c.overMin.median)}`,
        `${int(c.status429.median)} (${range(c.status429, int)})`,
        `**${c.runs.map((x) => x.failed).join(', ')}**`,
      ]),
    ),
    '',
    ...d.contenders
      .filter((c) => c.id === 'scopebound')
      .map((c) => `Target (within 10 % of the minimum, zero failed calls): ${status(c.overMin.median <= TARGET_RATE_LIMIT_OVER && c.runs.every((x) => x.failed === 0))}.`),
    '',
    'The minimum assumes every call succeeds: a contender that gives up on calls (failed calls > 0) can finish "faster than the minimum" only because it sent fewer successful requests.',
    '',
  ];
}

function emulatorSection(r: BenchResult<EmulatorData>): string[] {
  const d = r.data;
  const out = [
    '## 6a. Emulator throughput',
    '',
    `Token-verified \`GET /api/v2/users/{id}\` over HTTP (rate limits off), raw undici load generator in the parent process, each server in its own process; the peer is a bare node:http server returning the same ${d.bodyBytes}-byte JSON without verification. ${d.rounds} alternating rounds of ${d.measureMs} ms; median (min – max).`,
    '',
  ];
  out.push(
    ...table(
      ['concurrency', ...d.levels[0]!.servers.map((s) => s.label), 'emulator ÷ bare'],
      d.levels.map((l) => [String(l.concurrency), ...l.servers.map((s) => `**${int(s.rps.median)} req/s** (${range(s.rps, int)})${s.errors ? `, ${s.errors} errors` : ''}`), `${pct(l.ratio.median)} (${range(l.ratio, (v) => pct(v, 0))})`]),
    ),
    '',
  );
  return out;
}

function footprintSection(r: BenchResult<FootprintData>): string[] {
  const d = r.data;
  const [a, b] = [d.contenders.find((c) => c.id === 'scopebound'), d.contenders.find((c) => c.id === 'auth0')];
  const out = [
    '## 6b. Install footprint',
    '',
    `A fresh \`npm install --ignore-scripts\` (npm ${d.npm}) into an empty temporary directory. Scopebound: the tarballs from \`pnpm pack\` of @scopebound/token and @scopebound/management (they ship \`dist\`, the README and LICENSE); auth0: from the registry.`,
    '',
    ...table(
      ['install', 'node_modules (file bytes)', 'disk usage', 'files', 'packages', 'largest packages'],
      d.contenders.map((c) => {
        const largest = Object.entries(c.packageBytes ?? {})
          .sort((x, y) => y[1] - x[1])
          .slice(0, 3)
          .map(([n, v]) => `${n} ${mib(v)}`)
          .join(', ');
        return [c.label, `**${mib(c.bytes)}**`, `${(c.diskKiB / 1024).toFixed(1)} MiB`, `**${int(c.files)}**`, `${c.packages} (${c.packageNames.join(', ')})`, largest];
      }),
    ),
    '',
  ];
  if (a && b) out.push(`Scopebound ÷ auth0: ${pct(a.bytes / b.bytes, 0)} of the bytes, ${pct(a.files / b.files, 0)} of the files.`, '');
  if (d.tarballs?.length) {
    out.push(
      'Tarball sizes: every published Scopebound package as `pnpm pack` makes it (publishConfig applied: `dist`, README, LICENSE; the emulator also its screenshots) and the `auth0` tarball (`npm pack`). Unpacked = the sum of the tarball\'s file sizes.',
      '',
      ...table(
        ['package', 'packed', 'unpacked', 'files'],
        d.tarballs.map((t) => [t.name, mib(t.packedBytes), `**${mib(t.unpackedBytes)}**`, int(t.files)]),
      ),
      '',
    );
  }
  return out;
}

function summary(results: Map<string, BenchResult<any>>): string[] {
  const rows: string[][] = [];
  const imp = results.get('import') as BenchResult<ImportData> | undefined;
  if (imp) {
    rows.push(['Import + construct ≤ 25 % of auth0’s', pct(imp.data.ratio.median), status(imp.data.ratio.median <= TARGET_IMPORT_RATIO)]);
    const sb = imp.data.probes.find((p) => p.id === 'scopebound')!;
    rows.push(['Constructed client < 1 ms (management issue)', ms(sb.construct.median, 2), status(sb.construct.median < TARGET_CONSTRUCT_MS)]);
  }
  const ov = results.get('overhead') as BenchResult<OverheadData> | undefined;
  if (ov) {
    for (const l of ov.data.levels) {
      const o = l.overheadVsUndici.scopebound!;
      rows.push([`Per-call overhead ≤ 15 % over raw undici, concurrency ${l.concurrency}`, signedPct(o.median), status(o.median <= TARGET_OVERHEAD)]);
    }
  }
  const st = results.get('stampede') as BenchResult<StampedeData> | undefined;
  if (st) {
    for (const s of st.data.scenarios.filter((x) => x.target !== undefined)) {
      rows.push([`Cold stampede: ${s.label}`, `${s.runs.map((x) => x.mints).join(', ')} mints (target ${s.target})`, status(s.runs.every((x) => x.mints === s.target && x.failed === 0))]);
    }
  }
  const rl = results.get('rate-limit') as BenchResult<RateLimitData> | undefined;
  if (rl) {
    const c = rl.data.contenders.find((x) => x.id === 'scopebound')!;
    rows.push([
      'Rate-limit run within 10 % of the minimum, zero failed calls',
      `${signedPct(c.overMin.median)}, failed ${c.runs.map((x) => x.failed).join('/')}`,
      status(c.overMin.median <= TARGET_RATE_LIMIT_OVER && c.runs.every((x) => x.failed === 0)),
    ]);
  }
  const bulk = results.get('bulk') && bulkTargetRow(results.get('bulk')!);
  if (bulk) rows.push(bulk);
  const fleet = results.get('fleet-rate-limit') && fleetTargetRow(results.get('fleet-rate-limit')!);
  if (fleet) rows.push(fleet);
  const ty = results.get('types');
  const tq = ty && typesRatios(ty.data);
  if (tq) rows.push(['Type-check time and hover latency no slower than auth0’s', `check ${pct(tq.check, 0)}, hover ${pct(tq.hover, 0)}`, status(tq.check <= 1 && tq.hover <= 1)]);
  return rows.length ? ['## Targets', '', ...table(['target', 'measured (median)', 'status'], rows), ''] : [];
}

export function renderReport(results: Map<string, BenchResult<any>>): string {
  const lines: string[] = [
    '# Benchmark results',
    '',
    '<!-- Generated by bench/src/report.ts from bench/results/*.json. Do not edit; rerun `pnpm --filter @scopebound/bench bench`. -->',
    '',
    'Scopebound vs the official [`auth0`](https://www.npmjs.com/package/auth0) SDK and the physical limit (raw undici), measured side by side in the same run, over loopback only. See [README.md](README.md) for how to run each benchmark and what every number means.',
    '',
  ];
  const loads = [...results.values()].flatMap((r) => [r.env.loadAvgStart, r.env.loadAvgEnd ?? 0]);
  const maxLoad = Math.max(0, ...loads);
  const cores = [...results.values()][0]?.env.cores ?? 1;
  if (maxLoad > cores * 0.5) {
    lines.push(
      `> **Noisy numbers.** These results were measured on a shared ${cores}-core machine while other engineers were running builds and test suites (1-minute load average up to ${maxLoad.toFixed(1)} during the runs, see the table below). Throughput and timing numbers are therefore noisy — read the ratios (contenders alternate within each round, so they see similar noise) and the spreads rather than the absolute values. Counts (mints, 429s, failed calls, files, bytes) are not affected. A later quiet rerun of \`pnpm --filter @scopebound/bench bench\` overwrites this page.`,
      '',
    );
  }
  lines.push(...summary(results));
  lines.push('## Environment', '', '| benchmark | date | Node | CPU | load avg (start → end) | commit |', '| --- | --- | --- | --- | --- | --- |');
  const order = ['import', 'overhead', 'token-cache', 'stampede', 'rate-limit', 'emulator', 'footprint', 'bulk', 'bundle', 'tenants', 'fleet-rate-limit', 'instrumentation'];
  const byOrder = [...results.values()].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  for (const r of byOrder) lines.push(envRow(r.name, r.env));
  lines.push('', 'Other engineers commit while the suite runs, so benchmarks may see different commits; "uncommitted" lists packages whose working tree differed from the commit (their built `dist` includes those changes).');
  lines.push('');
  const sections: [string, (r: BenchResult<any>) => string[]][] = [
    ['import', importSection],
    ['overhead', overheadSection],
    ['token-cache', tokenCacheSection],
    ['stampede', stampedeSection],
    ['rate-limit', rateLimitSection],
    ['emulator', emulatorSection],
    ['footprint', footprintSection],
    ['bulk', bulkSection],
    ['bundle', bundleSection],
    ['tenants', tenantsSection],
    ['fleet-rate-limit', fleetSection],
    ['instrumentation', instrumentationSection],
    ['types', typesSection],
  ];
  for (const [name, render] of sections) {
    const r = results.get(name);
    if (r) lines.push(...render(r));
    else lines.push(`## ${name}`, '', '_Not run yet._', '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function writeReport(): string {
  const file = path.join(BENCH_DIR, 'RESULTS.md');
  writeFileSync(file, renderReport(loadResults()));
  return file;
}

export type { BenchResult };

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`wrote ${writeReport()}`);
}
