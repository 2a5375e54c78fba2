/**
 * `createUsageRecorder()`: an opt-in, in-memory aggregate of the calls a client makes (operation → scope
 * need → count, with the applications that served them). Pass it as `createManagementClient({ usage })`;
 * read it with `snapshot()` and write it with `writeUsageFile` (`@scopebound/management/usage`). Cheap on
 * the hot path: one map lookup per call.
 */
import { emptyUsage, mergeUsage, USAGE_FORMAT, USAGE_VERSION, usageKey, type UsageCall, type UsageData } from './usage-data';

/** What the client reports for one call that was sent with a server token. */
export interface UsageEvent {
  readonly operation: string | undefined;
  /** `METHOD /api/v2/...` template. */
  readonly route: string;
  readonly alternatives: readonly (readonly string[])[];
  readonly label?: string | undefined;
  readonly clientId: string;
  /** The scopes the token carried. */
  readonly granted: readonly string[];
}

export interface UsageRecorder {
  record(event: UsageEvent): void;
  /** Everything recorded so far (a copy). */
  snapshot(): UsageData;
  /** Forget what was recorded (after it was written). */
  clear(): void;
}

interface Tally {
  call: Omit<UsageCall, 'count' | 'clients'>;
  count: number;
  clients: Set<string>;
}

export function createUsageRecorder(): UsageRecorder {
  const tallies = new Map<string, Tally>();
  const grants = new Map<string, Set<string>>();
  return {
    record(event) {
      const call = { operation: event.operation ?? event.route, route: event.route, alternatives: event.alternatives, label: event.label ?? '' };
      const key = usageKey(call);
      let tally = tallies.get(key);
      if (!tally) tallies.set(key, (tally = { call, count: 0, clients: new Set() }));
      tally.count++;
      tally.clients.add(event.clientId);
      let seen = grants.get(event.clientId);
      if (!seen) grants.set(event.clientId, (seen = new Set()));
      for (const s of event.granted) seen.add(s);
    },
    snapshot() {
      const data: UsageData = {
        format: USAGE_FORMAT,
        version: USAGE_VERSION,
        calls: [...tallies.values()].map((t) => ({ ...t.call, alternatives: t.call.alternatives.map((a) => [...a]), count: t.count, clients: [...t.clients].sort() })),
        grants: Object.fromEntries([...grants].map(([client, scopes]) => [client, [...scopes].sort()])),
      };
      return mergeUsage(emptyUsage(), data);
    },
    clear() {
      tallies.clear();
      grants.clear();
    },
  };
}
