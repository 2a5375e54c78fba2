/** Records the token provider's events so the tour can show what was minted for which scope set. */
import type { TokenEvent } from '@scopebound/token';

export interface TokenRecord {
  /** What the call asked for. */
  readonly requested: readonly string[];
  /** What the tenant granted (the cache key). */
  readonly granted: readonly string[];
  readonly clientId: string;
  hits: number;
}

export interface TokenLog {
  /** Feed it the provider's events (`onEvent`). Never receives a token value. */
  record(event: TokenEvent): void;
  /** Events since the last `take()`, as short lines. */
  take(): string[];
  /** Every token minted so far, with its cache hits. */
  tokens(): readonly TokenRecord[];
}

const fmt = (scopes: readonly string[]) => `[${scopes.join(' ')}]`;

export function createTokenLog(): TokenLog {
  const records: TokenRecord[] = [];
  let pending: string[] = [];
  const find = (scopes: readonly string[], clientId: string) =>
    records.find((r) => r.clientId === clientId && r.granted.join(' ') === scopes.join(' '));
  return {
    record(event) {
      if (event.type === 'mint') {
        records.push({ requested: event.requested, granted: event.scopes, clientId: event.clientId, hits: 0 });
        const same = event.requested.join(' ') === event.scopes.join(' ');
        pending.push(`minted ${fmt(event.scopes)}${same ? '' : ` (asked ${fmt(event.requested)})`} as ${event.clientId}`);
      } else if (event.type === 'hit') {
        const r = find(event.scopes, event.clientId);
        if (r) r.hits++;
        pending.push(`cache hit ${fmt(event.scopes)}`);
      } else if (event.type === 'error') {
        pending.push(`token error ${event.code}`);
      }
    },
    take() {
      const out = pending;
      pending = [];
      return out;
    },
    tokens: () => records,
  };
}
