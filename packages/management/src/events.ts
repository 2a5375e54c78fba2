/** What `onEvent` receives. Events carry routes, statuses, scopes and timings; never a token or a body. */
export type ManagementEvent =
  | {
      type: 'request';
      operation: string | undefined;
      method: string;
      route: string;
      attempt: number;
      /** Scopes of the token sent (empty for a user token). */
      scopes: readonly string[];
    }
  | {
      type: 'response';
      operation: string | undefined;
      method: string;
      route: string;
      attempt: number;
      status: number;
      durationMs: number;
    }
  | {
      type: 'retry';
      operation: string | undefined;
      method: string;
      route: string;
      /** The attempt that failed (1-based). */
      attempt: number;
      reason: 'rate-limit' | 'server-error' | 'network' | 'timeout';
      status?: number;
      delayMs: number;
    }
  | { type: 'reauth'; operation: string | undefined; method: string; route: string }
  | {
      type: 'pace';
      operation: string | undefined;
      method: string;
      route: string;
      delayMs: number;
      /** Calls waiting in the pacer's queue when this one joined it. */
      queued?: number;
    }
  | {
      type: 'pagination-limit';
      operation: string;
      /** Items yielded before stopping at the offset limit. */
      fetched: number;
      limit: number;
      /** Total the server reported, when it did. */
      total?: number;
    };
