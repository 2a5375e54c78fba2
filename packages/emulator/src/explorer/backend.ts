/**
 * Where the explorer mints tokens and sends calls: an emulator (clients discovered through its Management
 * API, signed-secret tokens with its API secret, user tokens from its admin API) or a real tenant (the
 * credentials you pass). Client secrets and private keys stay here: the page only ever sees ids, names and
 * grants.
 */
import { createTokenProvider, privateKeyJwt, clientSecret, signedSecret, type Credential } from '@scopebound/token';
import type { Emulator } from '../emulator-type';

/** A way to mint a token, as the page sees it (no secret). */
export interface TokenSourceInfo {
  /** Opaque id the page sends back to `/explorer/api/mint`. */
  readonly id: string;
  readonly label: string;
  readonly kind: 'client-secret' | 'private-key-jwt' | 'signed-secret' | 'user-token';
  readonly clientId?: string;
  /** Management API scopes granted to the application, when known. */
  readonly grants?: readonly string[];
}

export interface MintOutcome {
  readonly token: string;
  readonly requested: readonly string[];
  readonly granted: readonly string[];
  readonly expiresAt: number;
  readonly source: string;
}

export interface Backend {
  readonly mode: 'emulator' | 'tenant';
  readonly domain: string;
  /** `https://{domain}/api/v2` (or the base URL's); calls go to `${apiBase}${path}`. */
  readonly apiBase: string;
  readonly fetch: (input: string, init: RequestInit) => Promise<Response>;
  sources(): Promise<TokenSourceInfo[]>;
  mint(sourceId: string, scopes: readonly string[], options: { userId?: string }): Promise<MintOutcome>;
}

/**
 * A failure the page shows as is: `code` is stable, `message` says what to do and holds no secret.
 *
 * Internal control flow, deliberately not a `ScopeboundError`: it never reaches a caller of this package.
 * Every throw site (this file, try-call.ts, explorer.ts's request readers) runs only inside the explorer's
 * `handle`, whose try/catch turns every error into an HTTP answer; `Backend` is not exported, and
 * `createExplorer`/`listen` throw only `EmulatorOptionError`.
 */
export class ExplorerProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ExplorerProblem';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

async function mintWith(
  credential: Credential,
  scopes: readonly string[],
  endpoint: { domain?: string; baseUrl?: string; fetch?: typeof globalThis.fetch; clock?: () => number },
): Promise<{ token: string; granted: readonly string[]; expiresAt: number }> {
  // A fresh provider per mint: the page asks for exactly these scopes and must see what the tenant answers,
  // never a cached broader token.
  const provider = createTokenProvider({
    ...(endpoint.domain ? { domain: endpoint.domain } : {}),
    ...(endpoint.baseUrl ? { baseUrl: endpoint.baseUrl } : {}),
    credentials: credential,
    reuse: 'exact',
    retry: { retries: 0 },
    staleIfError: false,
    ...(endpoint.fetch ? { fetch: endpoint.fetch } : {}),
    ...(endpoint.clock ? { clock: endpoint.clock } : {}),
  });
  try {
    const token = await provider.getToken(scopes);
    return { token: token.value, granted: token.scopes, expiresAt: token.expiresAt };
  } catch (error) {
    const e = error as Error & { code?: string; missing?: readonly string[]; granted?: readonly string[]; status?: number };
    if (typeof e.code === 'string' && e.code.startsWith('ERR_')) {
      const details: Record<string, unknown> = {};
      if (e.missing) details.missing = [...e.missing];
      if (e.granted) details.granted = [...e.granted];
      if (typeof e.status === 'number') details.tokenEndpointStatus = e.status;
      throw new ExplorerProblem(400, e.code, e.message, details);
    }
    throw new ExplorerProblem(502, 'mint_failed', 'The token could not be minted; check the tenant and try again.');
  } finally {
    await provider.settle().catch(() => undefined);
  }
}

interface DiscoveredClient {
  clientId: string;
  name: string;
  secret?: string;
  grants: string[];
}

const EXPLORER_SUBJECT = 'scopebound-explorer@clients';
const MAX_PAGES = 20;

export function emulatorBackend(emulator: Emulator): Backend {
  const domain = emulator.domain;
  const apiBase = `https://${domain}/api/v2`;
  const audience = `${apiBase}/`;

  /** Read the M2M clients (with secrets, server side only) and their Management API grants. */
  async function discover(): Promise<DiscoveredClient[]> {
    const token = await emulator.admin.mintToken({
      sub: EXPLORER_SUBJECT,
      scope: ['read:clients', 'read:client_keys', 'read:client_grants'],
      expiresIn: 60,
    });
    const get = async (path: string): Promise<Record<string, unknown>[]> => {
      const items: Record<string, unknown>[] = [];
      for (let page = 0; page < MAX_PAGES; page++) {
        const sep = path.includes('?') ? '&' : '?';
        const res = await emulator.fetch(`${apiBase}${path}${sep}page=${page}&per_page=100`, { headers: { authorization: `Bearer ${token}` } });
        if (!res.ok) throw new ExplorerProblem(502, 'discovery_failed', `The emulator answered ${res.status} while listing clients; check its faults and rate limits (admin API).`);
        const body = (await res.json()) as unknown;
        const list = Array.isArray(body) ? body : [];
        items.push(...(list as Record<string, unknown>[]));
        if (list.length < 100) break;
      }
      return items;
    };
    const [clients, grants] = await Promise.all([get('/clients'), get(`/client-grants?audience=${encodeURIComponent(audience)}`)]);
    const out: DiscoveredClient[] = [];
    for (const c of clients) {
      const clientId = typeof c.client_id === 'string' ? c.client_id : undefined;
      if (!clientId) continue;
      const types = Array.isArray(c.grant_types) ? (c.grant_types as string[]) : [];
      const grant = grants.find((g) => g.client_id === clientId);
      if (!grant && !types.includes('client_credentials')) continue;
      out.push({
        clientId,
        name: typeof c.name === 'string' ? c.name : clientId,
        ...(typeof c.client_secret === 'string' ? { secret: c.client_secret } : {}),
        grants: grant && Array.isArray(grant.scope) ? [...(grant.scope as string[])].sort() : [],
      });
    }
    return out.filter((c) => c.grants.length > 0);
  }

  async function credentialFor(client: DiscoveredClient): Promise<{ credential: Credential; kind: TokenSourceInfo['kind'] } | undefined> {
    if (client.secret) return { credential: clientSecret({ clientId: client.clientId, clientSecret: client.secret }), kind: 'client-secret' };
    try {
      const demo = await emulator.admin.demoPrivateKey();
      if (demo.clientId === client.clientId) {
        return { credential: privateKeyJwt({ clientId: demo.clientId, privateKey: demo.privateKeyPem, alg: demo.alg, ...(demo.kid ? { keyId: demo.kid } : {}) }), kind: 'private-key-jwt' };
      }
    } catch {
      // No demo seed: a private_key_jwt client without a known key cannot be used from the explorer.
    }
    return undefined;
  }

  const clock = async (): Promise<() => number> => {
    const offset = (await emulator.admin.now()) - Date.now();
    return () => Date.now() + offset;
  };

  return {
    mode: 'emulator',
    domain,
    apiBase,
    fetch: (input, init) => emulator.fetch(input, init),
    async sources() {
      const clients = await discover();
      const sources: TokenSourceInfo[] = [];
      for (const c of clients) {
        const cred = await credentialFor(c);
        if (!cred) continue;
        const how = cred.kind === 'private-key-jwt' ? 'private_key_jwt' : 'client secret';
        sources.push({ id: `client:${c.clientId}`, label: `${c.name} (${c.clientId}, ${how})`, kind: cred.kind, clientId: c.clientId, grants: c.grants });
      }
      sources.push({ id: 'signed-secret', label: 'Signed with the tenant API secret (HS256, exactly the chosen scopes)', kind: 'signed-secret' });
      sources.push({ id: 'user-token', label: 'User token for current_user scopes (emulator admin API)', kind: 'user-token' });
      return sources;
    },
    async mint(sourceId, scopes, options) {
      if (sourceId === 'user-token') {
        const userId = options.userId?.trim();
        if (!userId) throw new ExplorerProblem(400, 'user_id_required', 'A user token needs the user id it acts for (e.g. auth0|000000000000000000000001).');
        const now = await emulator.admin.now();
        const ttl = 3600;
        const token = await emulator.admin.mintToken({ sub: userId, scope: [...scopes], expiresIn: ttl });
        return { token, requested: [...scopes], granted: [...scopes].sort(), expiresAt: now + ttl * 1000, source: sourceId };
      }
      let credential: Credential;
      if (sourceId === 'signed-secret') {
        credential = signedSecret({ secret: () => emulator.admin.apiSecret() });
      } else if (sourceId.startsWith('client:')) {
        const clientId = sourceId.slice('client:'.length);
        const client = (await discover()).find((c) => c.clientId === clientId);
        const cred = client ? await credentialFor(client) : undefined;
        if (!cred) throw new ExplorerProblem(404, 'unknown_source', `No usable M2M client "${clientId}" in the emulator; reload the page to refresh the list.`);
        credential = cred.credential;
      } else {
        throw new ExplorerProblem(404, 'unknown_source', `Unknown token source "${sourceId}"; pick one from the list.`);
      }
      const minted = await mintWith(credential, scopes, { domain, fetch: emulator.fetch as typeof globalThis.fetch, clock: await clock() });
      return { ...minted, requested: [...scopes], source: sourceId };
    },
  };
}

export interface TenantTarget {
  /** The tenant domain, e.g. `dev-tenant.us.auth0.com` (the audience is `https://{domain}/api/v2/`). */
  domain?: string;
  /** @scopebound/token credentials (clientSecret, privateKeyJwt, signedSecret); each becomes a token source. */
  credentials: Credential | readonly Credential[];
  /**
   * Where `/oauth/token` and `/api/v2` are, when not `https://{domain}` (e.g. an emulator over HTTP). Without
   * `domain`, the audience is this base URL's API, as in @scopebound/token.
   */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
}

export function tenantBackend(target: TenantTarget): Backend {
  const credentials = Array.isArray(target.credentials) ? (target.credentials as readonly Credential[]) : [target.credentials as Credential];
  const origin = (target.baseUrl ?? `https://${target.domain}`).replace(/\/+$/, '');
  const domain = target.domain ?? new URL(origin).host;
  const doFetch = target.fetch ?? globalThis.fetch;
  return {
    mode: 'tenant',
    domain,
    apiBase: `${origin}/api/v2`,
    fetch: (input, init) => doFetch(input, init),
    async sources() {
      return credentials.map((c, i) => ({
        id: `credential:${i}`,
        label: c.kind === 'signed-secret' ? 'Signed with the tenant API secret (HS256)' : `${c.clientId} (${c.kind === 'private-key-jwt' ? 'private_key_jwt' : 'client secret'})`,
        kind: c.kind,
        ...(c.kind !== 'signed-secret' ? { clientId: c.clientId } : {}),
        ...(c.grants ? { grants: c.grants } : {}),
      }));
    },
    async mint(sourceId, scopes) {
      const index = sourceId.startsWith('credential:') ? Number(sourceId.slice('credential:'.length)) : Number.NaN;
      const credential = Number.isInteger(index) ? credentials[index] : undefined;
      if (!credential) throw new ExplorerProblem(404, 'unknown_source', `Unknown token source "${sourceId}"; pick one from the list.`);
      const minted = await mintWith(credential, scopes, {
        ...(target.domain ? { domain: target.domain } : {}),
        ...(target.baseUrl ? { baseUrl: origin } : {}),
        ...(target.fetch ? { fetch: target.fetch } : {}),
      });
      return { ...minted, requested: [...scopes], source: sourceId };
    },
  };
}
