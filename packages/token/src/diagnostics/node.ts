/**
 * `#diagnostics-channel` under Node's export conditions: Node's own `node:diagnostics_channel` (the channels
 * undici and Fastify publish on), so any subscriber (`@scopebound/opentelemetry`, APM agents) sees Scopebound.
 */
import * as dc from 'node:diagnostics_channel';
import type { ChannelLike, TracingChannelLike } from './types';

export function tracingChannel<C extends object>(name: string): TracingChannelLike<C> {
  return dc.tracingChannel(name) as unknown as TracingChannelLike<C>;
}

export function channel<M>(name: string): ChannelLike<M> {
  return dc.channel(name) as unknown as ChannelLike<M>;
}
