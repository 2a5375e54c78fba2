/**
 * 10. Cost of the instrumentation: `users.get` requests/s against the minimal local server (its own process),
 * at concurrency 1 and 64, for
 *   - raw undici (the floor);
 *   - Scopebound with nobody subscribed to its diagnostics channels (instrumentation off: the default);
 *   - the same client while `instrumentScopebound()` turns every call into an OpenTelemetry span and metrics
 *     (SDK tracer provider with a batch processor into a discarding exporter, SDK meter provider).
 * The same client serves both Scopebound rows; the subscription is taken and dropped around each "on"
 * measurement. Rounds alternate the contenders (order rotating); each warms up before every measurement.
 */
import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createManagementClient } from '@scopebound/management';
import { instrumentScopebound } from '@scopebound/opentelemetry';
import { clientSecret } from '@scopebound/token';
import { startPerCallBench, USER_ID } from './lib/raw-floor';
import { finishEnv } from './lib/env';
import { closedLoop, settle, type LoadResult } from './lib/load';
import { saveResult } from './lib/results';
import { rotate, summarize } from './lib/stats';
import { writeReport } from './report';
import type { InstrumentationData } from './report-instrumentation';

/** Counts what it is handed and drops it: the SDK's full span path without I/O. */
function discardingExporter(): SpanExporter & { count: number } {
  return {
    count: 0,
    export(spans: ReadableSpan[], done) {
      this.count += spans.length;
      done({ code: 0 });
    },
    shutdown: async () => {},
  };
}

async function main() {
  const { config, env, server, origin, floor } = await startPerCallBench();
  const { rounds, measureMs, warmupMs } = config;
  const { headers, path, agent } = floor;

  const exporter = discardingExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 100_000, scheduledDelayMillis: 200 })] });
  const meterProvider = new MeterProvider();
  metrics.setGlobalMeterProvider(meterProvider);
  const mgmt = createManagementClient({ baseUrl: origin, credentials: clientSecret({ clientId: 'scopebound', clientSecret: 'scopebound-secret' }) });

  const contenders: { id: string; label: string; instrumented?: boolean; call: () => Promise<unknown> }[] = [
    {
      id: 'undici',
      label: 'raw undici (floor)',
      call: async () => {
        const res = await agent.request({ origin, path, method: 'GET', headers });
        return res.body.json();
      },
    },
    { id: 'off', label: 'Scopebound, instrumentation off (no subscriber)', call: () => mgmt.users.get({ id: USER_ID }) },
    { id: 'on', label: 'Scopebound + `instrumentScopebound()` (spans + metrics)', instrumented: true, call: () => mgmt.users.get({ id: USER_ID }) },
  ];
  for (const c of contenders) {
    const user = (await c.call()) as { user_id?: string };
    if (user.user_id !== USER_ID) throw new Error(`${c.id} returned an unexpected body`);
  }
  /** Run `fn` with the instrumentation subscribed when the contender is the instrumented one. */
  async function measure<T>(c: (typeof contenders)[number], fn: () => Promise<T>): Promise<T> {
    const off = c.instrumented ? instrumentScopebound({ tracerProvider, meterProvider }) : undefined;
    try {
      return await fn();
    } finally {
      off?.();
    }
  }

  const data: InstrumentationData = { rounds, measureMs, warmupMs, levels: [], spansExported: 0 };
  for (const concurrency of [1, 64]) {
    const samples = new Map<string, LoadResult[]>(contenders.map((c) => [c.id, []]));
    for (const c of contenders) await measure(c, () => closedLoop(c.call, concurrency, 1000)); // JIT warm-up
    for (let r = 0; r < rounds; r++) {
      for (const c of rotate(contenders, r)) {
        const sample = await measure(c, async () => {
          await closedLoop(c.call, concurrency, warmupMs);
          await settle();
          return closedLoop(c.call, concurrency, measureMs);
        });
        samples.get(c.id)!.push(sample);
      }
      process.stdout.write(`instrumentation c=${concurrency}: round ${r + 1}/${rounds}\r`);
    }
    process.stdout.write('\n');
    const floor = samples.get('undici')!;
    const off = samples.get('off')!;
    data.levels.push({
      concurrency,
      contenders: contenders.map((c) => {
        const s = samples.get(c.id)!;
        return { id: c.id, label: c.label, rps: summarize(s.map((x) => x.opsPerSec)), cpuUsPerCall: summarize(s.map((x) => x.cpuUsPerOp)), errors: s.reduce((n, x) => n + x.errors, 0) };
      }),
      overheadVsUndici: Object.fromEntries(['off', 'on'].map((id) => [id, summarize(samples.get(id)!.map((x, i) => floor[i]!.opsPerSec / x.opsPerSec - 1))])),
      onVsOff: summarize(samples.get('on')!.map((x, i) => off[i]!.opsPerSec / x.opsPerSec - 1)),
    });
  }
  await tracerProvider.forceFlush();
  data.spansExported = exporter.count;
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
  await mgmt.close();
  await agent.close();
  await server.stop();
  saveResult({ name: 'instrumentation', env: finishEnv(env), config, data });
  for (const level of data.levels) {
    for (const c of level.contenders) {
      const o = level.overheadVsUndici[c.id];
      console.log(`c=${level.concurrency} ${c.id.padEnd(7)} ${c.rps.median.toFixed(0).padStart(7)} req/s ${c.cpuUsPerCall.median.toFixed(0)} µs CPU/call${o ? `  vs undici ${(o.median * 100).toFixed(1)} %` : ''}`);
    }
    console.log(`c=${level.concurrency} on vs off ${(level.onVsOff.median * 100).toFixed(1)} %`);
  }
  writeReport();
}

await main();
