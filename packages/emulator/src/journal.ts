/** The request journal: what the tenant was asked and answered, and how many tokens each client minted. */
export interface JournalEntry {
  readonly seq: number;
  /** Tenant-clock time (epoch ms). */
  readonly time: number;
  readonly method: string;
  readonly path: string;
  readonly operation?: string;
  readonly clientId?: string;
  readonly status: number;
  readonly fault?: string;
  readonly rateLimited?: boolean;
  readonly peer?: string;
}

export interface JournalFilter {
  operation?: string;
  clientId?: string;
  method?: string;
  status?: number;
  /** Only the last N matching entries. */
  limit?: number;
}

export interface Journal {
  list(filter?: JournalFilter): JournalEntry[];
  /** Tokens minted per client id (all clients, or one). */
  mints(): Record<string, number>;
  mintsFor(clientId: string): number;
  clear(): void;
  readonly size: number;
}

export interface JournalWriter extends Journal {
  record(entry: Omit<JournalEntry, 'seq'>): void;
  countMint(clientId: string): void;
}

export function createJournal(limit = 10_000): JournalWriter {
  let entries: JournalEntry[] = [];
  let seq = 0;
  const mints = new Map<string, number>();
  const kept = () => (entries.length > limit ? entries.slice(entries.length - limit) : entries);
  return {
    record(entry) {
      entries.push(Object.assign(entry, { seq: ++seq }));
      // Trim in batches (a copy per request would cost O(limit) on the hot path); readers see the last `limit`.
      if (entries.length >= 2 * limit) entries = entries.slice(entries.length - limit);
    },
    countMint(clientId) {
      mints.set(clientId, (mints.get(clientId) ?? 0) + 1);
    },
    list(filter = {}) {
      const out = kept().filter(
        (e) =>
          (filter.operation === undefined || e.operation === filter.operation) &&
          (filter.clientId === undefined || e.clientId === filter.clientId) &&
          (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
          (filter.status === undefined || e.status === filter.status),
      );
      return filter.limit !== undefined ? out.slice(-filter.limit) : out;
    },
    mints: () => Object.fromEntries(mints),
    mintsFor: (clientId) => mints.get(clientId) ?? 0,
    clear() {
      entries = [];
      mints.clear();
    },
    get size() {
      return Math.min(entries.length, limit);
    },
  };
}
