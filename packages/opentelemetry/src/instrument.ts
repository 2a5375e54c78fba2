/**
 * `instrumentScopebound()`: subscribe to Scopebound's diagnostics channels and turn them into OpenTelemetry
 * spans (a CLIENT span per Management API call, one per token mint) and metrics; returns the unsubscribe.
 * Node only (node:diagnostics_channel, node:async_hooks); elsewhere Scopebound publishes nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import * as dc from 'node:diagnostics_channel';
import { SpanKind, SpanStatusCode, context, metrics, trace, type MeterProvider, type Span, type TracerProvider } from '@opentelemetry/api';
import type { ManagementEvent, ManagementRequestContext } from '@scopebound/management';
import type { TokenEvent } from '@scopebound/token';
import { CHANNELS, type TokenMintContext } from '@scopebound/token/diagnostics';
import {
  mintEndAttributes,
  mintStartAttributes,
  requestEndAttributes,
  requestSpanName,
  requestStartAttributes,
  type TokenSource,
} from './attributes';
import { createMetrics, type StoreEventLike } from './metrics';

export interface InstrumentOptions {
  /** Default: the global tracer provider (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
  /** Default: the global meter provider (`metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider;
}

const SCOPE = '@scopebound/opentelemetry';

/** One call in flight: its span, when it started, and where its token came from (learned from token messages). */
interface Call {
  readonly span: Span;
  readonly started: number;
  source: TokenSource;
}

interface Mint {
  readonly span: Span;
}

interface Handlers<C> {
  start?: (ctx: C) => void;
  end?: (ctx: C) => void;
  asyncStart?: (ctx: C) => void;
  asyncEnd?: (ctx: C) => void;
  error?: (ctx: C) => void;
}

/** Turn Scopebound's channels into spans and metrics until the returned function is called. */
export function instrumentScopebound(options: InstrumentOptions = {}): () => void {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
  const meters = createMetrics((options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE));
  // The call a token message belongs to: the request trace binds it for the call's whole async run.
  const current = new AsyncLocalStorage<Call>();
  const calls = new WeakMap<object, Call>();
  const mints = new WeakMap<object, Mint>();

  const requestChannel = dc.tracingChannel<unknown, ManagementRequestContext>(CHANNELS.request);
  const mintChannel = dc.tracingChannel<unknown, TokenMintContext>(CHANNELS.mint);

  requestChannel.start.bindStore(current, (message) => {
    const ctx = message as ManagementRequestContext;
    const span = tracer.startSpan(requestSpanName(ctx), { kind: SpanKind.CLIENT, attributes: requestStartAttributes(ctx) }, context.active());
    const call: Call = { span, started: performance.now(), source: ctx.userToken ? 'user' : 'cache' };
    calls.set(ctx, call);
    return call;
  });
  const request: Handlers<ManagementRequestContext> = {
    asyncEnd(ctx) {
      const call = calls.get(ctx);
      if (!call) return;
      calls.delete(ctx);
      call.span.setAttributes(requestEndAttributes(ctx, call.source));
      if (ctx.error !== undefined || (ctx.status !== undefined && ctx.status >= 400)) call.span.setStatus({ code: SpanStatusCode.ERROR });
      call.span.end();
      meters.request(ctx, (performance.now() - call.started) / 1000);
    },
  };

  const mint: Handlers<TokenMintContext> = {
    start(ctx) {
      const call = current.getStore();
      if (call && ctx.kind === 'mint') call.source = 'mint';
      const parent = call ? trace.setSpan(context.active(), call.span) : context.active();
      const kind = ctx.origin === undefined ? SpanKind.INTERNAL : SpanKind.CLIENT;
      mints.set(ctx, { span: tracer.startSpan(`scopebound token ${ctx.kind}`, { kind, attributes: mintStartAttributes(ctx) }, parent) });
    },
    asyncEnd(ctx) {
      const m = mints.get(ctx);
      if (!m) return;
      mints.delete(ctx);
      m.span.setAttributes(mintEndAttributes(ctx));
      if (ctx.error !== undefined) m.span.setStatus({ code: SpanStatusCode.ERROR });
      m.span.end();
      meters.mint(ctx);
    },
  };

  const onTokenEvent = (message: unknown) => {
    const event = message as TokenEvent;
    if (event.type === 'hit' && event.source === 'store') {
      const call = current.getStore();
      if (call && call.source === 'cache') call.source = 'store';
    }
    meters.tokenEvent(event);
  };
  const onManagementEvent = (message: unknown) => meters.managementEvent(message as ManagementEvent);
  const onStoreEvent = (message: unknown) => meters.storeEvent(message as StoreEventLike);

  requestChannel.subscribe(request as never);
  mintChannel.subscribe(mint as never);
  dc.subscribe(CHANNELS.tokenEvent, onTokenEvent);
  dc.subscribe(CHANNELS.managementEvent, onManagementEvent);
  dc.subscribe(CHANNELS.storeEvent, onStoreEvent);

  let active = true;
  return () => {
    if (!active) return;
    active = false;
    requestChannel.unsubscribe(request as never);
    requestChannel.start.unbindStore(current);
    mintChannel.unsubscribe(mint as never);
    dc.unsubscribe(CHANNELS.tokenEvent, onTokenEvent);
    dc.unsubscribe(CHANNELS.managementEvent, onManagementEvent);
    dc.unsubscribe(CHANNELS.storeEvent, onStoreEvent);
  };
}
