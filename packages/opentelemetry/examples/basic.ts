import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { createManagementClient } from '@scopebound/management';
import { instrumentScopebound } from '@scopebound/opentelemetry';
import { clientSecret } from '@scopebound/token';

export async function main(baseUrl: string, exporter: SpanExporter = new ConsoleSpanExporter()) {
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const meterProvider = new MeterProvider();
  const stop = instrumentScopebound({ tracerProvider, meterProvider }); // omit both to use the global providers

  const mgmt = createManagementClient({ baseUrl, credentials: clientSecret({ clientId: 'app', clientSecret: process.env.APP_SECRET! }) });
  await mgmt.users.list({ per_page: 5 }); // a span "GET /api/v2/users" and, for the first call, "scopebound token mint" under it

  stop();
  await mgmt.close();
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
}
