/**
 * Shared pieces of the fleet rate-limiter tests: an emulated tenant over HTTP on loopback with a small tenant
 * bucket, and a load of `users.get` from N clients (each one "process") that share a limiter per client.
 */
import { createEmulator, type Emulator } from '@scopebound/emulator';
import { createManagementClient, type ManagementClient, type RateLimiter } from '@scopebound/management';
import { clientSecret } from '@scopebound/token';

export const APP = { clientId: 'fleet-limiter-app', clientSecret: 'fleet-limiter-secret-value' };
export const USER_ID = 'auth0|000000000000000000000001';

export interface Tenant {
  readonly emulator: Emulator;
  readonly url: string;
  status429(): number;
  /** When each 429 was answered, ms after the first request (for failure messages). */
  timeline429(): number[];
  apiRequests(): number;
  close(): Promise<void>;
}

export async function tenant(burst: number, perSecond: number): Promise<Tenant> {
  const emulator = createEmulator({
    domain: 'fleet-limiter.example.com',
    seed: 'demo',
    rateLimit: { tenant: { burst, perSecond } },
    clients: [{ ...APP, grants: ['read:users'] }],
  });
  const server = await emulator.listen({ host: '127.0.0.1', port: 0 });
  const list = () => emulator.journal.list();
  return {
    emulator,
    url: server.url,
    status429: () => list().filter((e) => e.status === 429).length,
    timeline429: () => {
      const all = list();
      const t0 = all[0]?.time ?? 0;
      return all.filter((e) => e.status === 429).map((e) => e.time - t0);
    },
    apiRequests: () => list().filter((e) => e.path.startsWith('/api/v2/')).length,
    close: () => emulator.close(),
  };
}

export function client(url: string, rateLimiter: RateLimiter | undefined): ManagementClient {
  return createManagementClient({ baseUrl: url, credentials: clientSecret(APP), ...(rateLimiter ? { rateLimiter } : {}) });
}

export interface LoadResult {
  ok: number;
  failed: number;
  firstError?: string;
}

/** `perClient` calls from each client at concurrency `concurrency`, all clients at once. */
export async function load(clients: readonly ManagementClient[], perClient: number, concurrency: number, onCall?: () => void): Promise<LoadResult> {
  const result: LoadResult = { ok: 0, failed: 0 };
  await Promise.all(
    clients.map(async (c) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < perClient) {
            next += 1;
            try {
              await c.users.get({ id: USER_ID });
              result.ok += 1;
            } catch (e) {
              result.failed += 1;
              result.firstError ??= e instanceof Error ? `${e.name}: ${e.message}` : String(e);
            }
            onCall?.();
          }
        }),
      );
    }),
  );
  return result;
}
