/**
 * The runtime smoke suite itself, on Web APIs only: mint with each credential kind, users.get / list with
 * pagination / update with app_metadata, a 403 and a 429 mapped to the typed errors. Every runtime runs this
 * same module (bundled) and hands back its results; the Node driver asserts on them.
 */
import { createManagementClient, type ManagementClient } from '@scopebound/management';
import { clientSecret, privateKeyJwt, signedSecret, type Credential } from '@scopebound/token';

export interface SmokeConfig {
  readonly origin: string;
  readonly audience: string;
  readonly userId: string;
  readonly secrets: { readonly admin: string; readonly appMetadata: string; readonly apiSecret: string };
  readonly privateKeyPem: string;
}

export interface SmokeResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: unknown;
}

type Step = (config: SmokeConfig, client: (credential: Credential) => ManagementClient) => Promise<unknown>;

const errorOf = async (call: () => Promise<unknown>): Promise<{ name: string; code: unknown } | undefined> => {
  try {
    await call();
    return undefined;
  } catch (e) {
    return { name: (e as Error).name, code: (e as { code?: unknown }).code };
  }
};

const STEPS: Record<string, Step> = {
  'mint: client secret': async (c, client) => (await client(clientSecret({ clientId: 'sb-demo-admin', clientSecret: c.secrets.admin })).users.get({ id: c.userId })).user_id,
  'mint: private_key_jwt': async (c, client) => (await client(privateKeyJwt({ clientId: 'sb-demo-private-key-jwt', privateKey: c.privateKeyPem })).users.get({ id: c.userId })).user_id,
  'mint: signed secret': async (c, client) => (await client(signedSecret({ secret: c.secrets.apiSecret })).users.get({ id: c.userId })).user_id,
  'users.list: pagination': async (c, client) => {
    const mgmt = client(clientSecret({ clientId: 'sb-demo-admin', clientSecret: c.secrets.admin }));
    const ids: string[] = [];
    for await (const u of mgmt.users.list.all({ per_page: 3 })) ids.push(String(u.user_id));
    return { count: ids.length, distinct: new Set(ids).size };
  },
  'users.update: app_metadata': async (c, client) => {
    const mgmt = client(clientSecret({ clientId: 'sb-demo-app-metadata', clientSecret: c.secrets.appMetadata }));
    const updated = await mgmt.users.update({ id: c.userId }, { app_metadata: { plan: 'runtime-smoke' } });
    return updated.app_metadata;
  },
  '403 → InsufficientScopeError': (c, client) => errorOf(() => client(clientSecret({ clientId: 'sb-demo-admin', clientSecret: c.secrets.admin })).clients.list()),
  '429 → RateLimitError': (c, client) => errorOf(() => client(clientSecret({ clientId: 'sb-demo-admin', clientSecret: c.secrets.admin })).roles.list()),
};

/** Run every step against the emulator at `config.origin` (no `fetch` option: the runtime's default transport). */
export async function runSmoke(config: SmokeConfig): Promise<SmokeResult[]> {
  const clients: ManagementClient[] = [];
  const client = (credentials: Credential): ManagementClient => {
    const c = createManagementClient({ baseUrl: config.origin, audience: config.audience, credentials, retry: false });
    clients.push(c);
    return c;
  };
  const results: SmokeResult[] = [];
  for (const [name, step] of Object.entries(STEPS)) {
    try {
      results.push({ name, ok: true, detail: await step(config, client) });
    } catch (e) {
      results.push({ name, ok: false, detail: `${(e as Error).name}: ${(e as Error).message}` });
    }
  }
  await Promise.all(clients.map((c) => c.close()));
  return results;
}
