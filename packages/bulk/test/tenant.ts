/** Test fixture: an emulator over loopback HTTP seeded with bulk users, and the server-side count of applied calls. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator } from '@scopebound/emulator';
import { createManagementClient, type ManagementEvent } from '@scopebound/management';
import { clientSecret } from '@scopebound/token';

export const BULK_CLIENT = { clientId: 'bulk-app', clientSecret: 'bulk-app-secret-0123' };
export const userId = (i: number) => `auth0|bulk${String(i).padStart(6, '0')}`;

/** One users.update per user with a distinct body, as JSONL text (`extra` lines appended verbatim). */
export function metadataLines(users: number, extra: string[] = []): string {
  const calls = Array.from({ length: users }, (_, i) => JSON.stringify({ operation: 'users.update', params: { id: userId(i) }, body: { app_metadata: { plan: 'pro', n: i } } }));
  return `${[...calls, ...extra].join('\n')}\n`;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'scopebound-bulk-'));
}

export function writeInput(dir: string, text: string): string {
  const path = join(dir, 'input.jsonl');
  writeFileSync(path, text);
  return path;
}

export async function bulkTenant(users: number, rateLimit: { burst: number; perSecond: number } = { burst: 20, perSecond: 400 }) {
  const tenant = createEmulator({
    seed: { users: Array.from({ length: users }, (_, i) => ({ user_id: userId(i), email: `bulk${i}@example.com` })) },
    narrowScopes: true,
    journalLimit: 100_000,
    clients: [{ ...BULK_CLIENT, grants: ['read:users', 'update:users_app_metadata'] }],
    rateLimit: { tenant: rateLimit },
  });
  const server = await tenant.listen({ port: 0 });
  return {
    tenant,
    url: server.url,
    env: { AUTH0_BASE_URL: server.url, AUTH0_CLIENT_ID: BULK_CLIENT.clientId, AUTH0_CLIENT_SECRET: BULK_CLIENT.clientSecret },
    client: (extra: { onEvent?: (e: ManagementEvent) => void; timeout?: number } = {}) => createManagementClient({ baseUrl: server.url, credentials: clientSecret(BULK_CLIENT), ...extra }),
    /** Successful PATCHes per user path, as the server saw them. */
    applied(): Map<string, number> {
      const counts = new Map<string, number>();
      for (const e of tenant.journal.list({ operation: 'users.update', status: 200 })) counts.set(e.path, (counts.get(e.path) ?? 0) + 1);
      return counts;
    },
    close: () => tenant.close(),
  };
}
