/**
 * The emulator in its own process, served over HTTP on 127.0.0.1. Options come as JSON in argv[2]
 * (`createEmulator` options). Parent commands: `stats` (journal: requests, 429s, statuses, mints),
 * `reset` (clear the journal and refill the rate-limit buckets), `user` (one user's JSON, for the peer).
 */
import { createEmulator, type EmulatorOptions, type RateLimitOption } from '@scopebound/emulator';
import { serveParent } from '../lib/child';

export interface EmulatorStats {
  requests: number;
  apiRequests: number;
  tokenRequests: number;
  status429: number;
  byStatus: Record<string, number>;
  mints: Record<string, number>;
  firstRequestAt?: number;
  lastRequestAt?: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
const emulator = createEmulator({ journalLimit: 200_000, ...options });
const server = await emulator.listen({ host: '127.0.0.1', port: 0 });

serveParent({
  stats: (): EmulatorStats => {
    const entries = emulator.journal.list();
    const byStatus: Record<string, number> = {};
    for (const e of entries) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
    return {
      requests: entries.length,
      apiRequests: entries.filter((e) => e.path.startsWith('/api/v2/')).length,
      tokenRequests: entries.filter((e) => e.path.startsWith('/oauth/token')).length,
      status429: byStatus['429'] ?? 0,
      byStatus,
      mints: emulator.journal.mints(),
      ...(entries.length ? { firstRequestAt: entries[0]!.time, lastRequestAt: entries[entries.length - 1]!.time } : {}),
    };
  },
  reset: async () => {
    emulator.journal.clear();
    // Reconfiguring empties the buckets' state: every run starts with a full burst.
    await emulator.admin.setRateLimit((options.rateLimit ?? false) as RateLimitOption);
    return true;
  },
});
process.on('SIGTERM', () => {
  void emulator.close().finally(() => process.exit(0));
});
process.send?.({ type: 'ready', origin: server.url, domain: emulator.domain });
