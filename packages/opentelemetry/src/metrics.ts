/**
 * The metrics: instruments created once per `instrumentScopebound` call, and what each channel message adds to
 * them. Attributes are low-cardinality facts (operation, method, status, reason, source); never an id or a token.
 */
import type { Attributes, Meter } from '@opentelemetry/api';
import type { ManagementEvent, ManagementRequestContext } from '@scopebound/management';
import type { TokenEvent } from '@scopebound/token';
import type { TokenMintContext } from '@scopebound/token/diagnostics';
import { errorType, serverAttributes } from './attributes';

/** What the Redis store publishes on `scopebound:redis:event` (only `type` is read). */
export interface StoreEventLike {
  readonly type: string;
}

export interface ScopeboundMetrics {
  request(ctx: ManagementRequestContext, seconds: number): void;
  mint(ctx: TokenMintContext): void;
  managementEvent(event: ManagementEvent): void;
  tokenEvent(event: TokenEvent): void;
  storeEvent(event: StoreEventLike): void;
}

export function createMetrics(meter: Meter): ScopeboundMetrics {
  const duration = meter.createHistogram('http.client.request.duration', {
    unit: 's',
    description: 'Duration of Management API calls, retries and rate-limit waits included.',
  });
  const mints = meter.createCounter('scopebound.token.mints', { unit: '{mint}', description: 'Token mints and background refreshes, by outcome.' });
  const hits = meter.createCounter('scopebound.token.cache.hits', { unit: '{hit}', description: 'Tokens served from the in-process cache (memory) or the shared store.' });
  const misses = meter.createCounter('scopebound.token.cache.misses', { unit: '{miss}', description: 'Token needs neither cache had: each started a mint.' });
  const stale = meter.createCounter('scopebound.token.stale_served', { unit: '{token}', description: 'Still-valid tokens served while the token endpoint was failing.' });
  const storeErrors = meter.createCounter('scopebound.token.store.errors', { unit: '{error}', description: 'Failed token store calls (the provider fell back to local minting).' });
  const outages = meter.createCounter('scopebound.redis.outages', { unit: '{outage}', description: 'Redis outages seen by the store (one per outage).' });
  const rateLimited = meter.createCounter('scopebound.management.rate_limited', { unit: '{response}', description: 'HTTP 429 responses of the Management API.' });
  const retries = meter.createCounter('scopebound.management.retries', { unit: '{retry}', description: 'Retries of Management API calls, by reason.' });
  const queue = meter.createGauge('scopebound.pacer.queue_depth', { unit: '{call}', description: 'Calls waiting in the pacer when one more joined.' });
  const wait = meter.createHistogram('scopebound.pacer.wait', { unit: 'ms', description: 'Expected wait of a call queued by the pacer.' });

  return {
    request(ctx, seconds) {
      const attrs: Attributes = { 'http.request.method': ctx.method, ...serverAttributes(ctx.origin), 'url.template': ctx.route };
      if (ctx.operation !== undefined) attrs['scopebound.operation'] = ctx.operation;
      if (ctx.status !== undefined) attrs['http.response.status_code'] = ctx.status;
      if (ctx.error !== undefined) attrs['error.type'] = ctx.status !== undefined && ctx.status >= 400 ? String(ctx.status) : errorType(ctx.error);
      duration.record(seconds, attrs);
    },
    mint(ctx) {
      mints.add(1, { 'scopebound.token.kind': ctx.kind, 'scopebound.outcome': ctx.error === undefined ? 'ok' : 'error' });
      if (ctx.kind === 'mint') misses.add(1);
    },
    managementEvent(event) {
      if (event.type === 'response' && event.status === 429) rateLimited.add(1, operationOf(event));
      else if (event.type === 'retry') retries.add(1, { ...operationOf(event), 'scopebound.retry.reason': event.reason });
      else if (event.type === 'pace') {
        if (event.queued !== undefined) queue.record(event.queued);
        wait.record(event.delayMs, operationOf(event));
      }
    },
    tokenEvent(event) {
      if (event.type === 'hit') hits.add(1, { 'scopebound.token.cache': event.source });
      else if (event.type === 'stale-served') stale.add(1);
      else if (event.type === 'error' && event.stage === 'store') storeErrors.add(1, { 'error.type': event.code });
    },
    storeEvent(event) {
      if (event.type === 'unavailable') outages.add(1);
    },
  };
}

function operationOf(event: { operation: string | undefined; method: string }): Attributes {
  return event.operation !== undefined ? { 'scopebound.operation': event.operation } : { 'http.request.method': event.method };
}
