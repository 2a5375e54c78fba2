/**
 * `SCOPEBOUND_TRACE=console`: every Management API call and token mint as an OpenTelemetry span printed on the
 * console (the SDK's ConsoleSpanExporter), through `@scopebound/opentelemetry`. Returns the stop function.
 */
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { instrumentScopebound } from '@scopebound/opentelemetry';

export function consoleTracing(): () => Promise<void> {
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] });
  const off = instrumentScopebound({ tracerProvider });
  return async () => {
    off();
    await tracerProvider.shutdown();
  };
}
