/**
 * The diagnostics channels every Scopebound package publishes on: their names and what each carries. Contexts
 * hold operation names, routes, scopes, counts and timings; never a token, a secret, a body or a query string.
 */
import * as runtime from '#diagnostics-channel';
import type { TokenEvent } from '../provider/events';
import type { ChannelLike, TracingChannelLike } from './types';

export const CHANNELS = Object.freeze({
  /** Tracing channel: one trace per Management API call (every attempt, retry and wait inside it). */
  request: 'scopebound:management:request',
  /** Plain channel: every `ManagementEvent` (request, response, retry, reauth, pace, pagination-limit). */
  managementEvent: 'scopebound:management:event',
  /** Tracing channel: one trace per token mint or background refresh (a request to the token endpoint, or a signature). */
  mint: 'scopebound:token:mint',
  /** Plain channel: every `TokenEvent` (hit, mint, refresh, fallback, stale-served, error). */
  tokenEvent: 'scopebound:token:event',
  /** Plain channel: every `RedisStoreEvent` (unavailable, recovered, invalid-value, subscriber-error). */
  storeEvent: 'scopebound:redis:event',
});

/** The context of a `scopebound:token:mint` trace. `granted`/`expiresAt` are set before the trace ends. */
export interface TokenMintContext {
  readonly kind: 'mint' | 'refresh';
  readonly clientId: string;
  /** The scopes asked for. */
  readonly requested: readonly string[];
  /** The token endpoint's origin (`https://tenant.auth0.com`); undefined for self-signed tokens. */
  readonly origin: string | undefined;
  /** The scopes granted (set on success). */
  granted?: readonly string[];
  /** Epoch ms (set on success). */
  expiresAt?: number;
  /** Set by the channel when the mint fails (a `ScopeboundError`: it never holds a secret). */
  error?: unknown;
}

/** A tracing channel by name: Node's own on Node, a silent one elsewhere. */
export function tracingChannel<C extends object>(name: string): TracingChannelLike<C> {
  return runtime.tracingChannel<C>(name);
}

/** A plain channel by name: Node's own on Node, a silent one elsewhere. */
export function channel<M>(name: string): ChannelLike<M> {
  return runtime.channel<M>(name);
}

// Declared here (not re-exported from `#diagnostics-channel`) so the emitted types never name a subpath import,
// which node10 resolution cannot follow.
export const mintChannel: TracingChannelLike<TokenMintContext> = tracingChannel<TokenMintContext>(CHANNELS.mint);
export const tokenEventChannel: ChannelLike<TokenEvent> = channel<TokenEvent>(CHANNELS.tokenEvent);
