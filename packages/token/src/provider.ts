/**
 * `createTokenProvider()`: lazily minted, cached, least-privilege Management API tokens.
 *
 * getToken(required, {anyOf}) looks, in order, for a valid token covering the need in the per-process cache
 * (L1), then in the store (L2), then mints one. Every mint is single-flight per (tenant, audience, client,
 * requested scope set); the first mint of a credential is a probe the others wait for, so an Auth0-faithful
 * tenant (which grants every scope of the application whatever is asked) is asked once. Tokens are cached
 * under the scopes actually granted. A token close to expiry is refreshed in the background while it is still
 * served; an expired token is never served; a failing endpoint leaves a still-valid token in service.
 */
import { createAccessToken } from './access-token';
import { internalOf, validateCredentials, type Credential, type CredentialInternal } from './credential';
import { resolveEndpoint, type Endpoint } from './endpoint-options';
import {
  AbortedError,
  InsufficientGrantError,
  InvalidOptionError,
  NoCoveringCredentialError,
  TokenEndpointError,
  TokenError,
  TokenRateLimitError,
} from './errors';
import { memoryStore } from './memory-store';
import { isScopeNeed, type ScopeNeed } from './scope-need';
import type { QuotaLimit } from './quota';
import { covers, missingScopes, normalizeScopes, scopeKey, validateScopes } from './scopes';
import { jwtScopeClaim } from './http/jwt-payload';
import { requestToken } from './token-endpoint';
import type { AccessToken, GetTokenOptions, StoredToken, TokenSource, TokenStore } from './types';

export type TokenEvent =
  | {
      type: 'mint';
      clientId: string;
      /** What was asked for. */
      requested: readonly string[];
      /** What was granted (the cache key). */
      scopes: readonly string[];
      durationMs: number;
      expiresAt: number;
      /** Remaining token quota, from Auth0's quota headers (empty when absent or self-signed). */
      quota: readonly QuotaLimit[];
    }
  | { type: 'hit'; source: 'memory' | 'store'; clientId: string; scopes: readonly string[]; expiresAt: number }
  | {
      type: 'refresh';
      clientId: string;
      requested: readonly string[];
      scopes: readonly string[];
      durationMs: number;
      expiresAt: number;
      quota: readonly QuotaLimit[];
    }
  | {
      type: 'stale-served';
      clientId: string;
      scopes: readonly string[];
      expiresAt: number;
      /** The code of the failure that keeps the token in service. */
      errorCode: string;
      /** When the next mint attempt is allowed (epoch ms). */
      retryAt: number;
    }
  | {
      type: 'error';
      stage: 'mint' | 'refresh' | 'store';
      clientId: string;
      requested: readonly string[];
      code: string;
      status?: number;
      durationMs: number;
      retryAfterMs?: number;
      quota?: readonly QuotaLimit[];
      /** The error itself (safe: it never holds a secret or a token). */
      error: unknown;
    };

export type TokenEventType = TokenEvent['type'];

export interface TokenProviderOptions {
  /** The tenant hostname, e.g. "my-tenant.eu.auth0.com" (audience `https://{domain}/api/v2/`). */
  domain?: string;
  /** Where `/oauth/token` is (an emulator, a proxy); http only on loopback. The audience still uses `domain`. */
  baseUrl?: string;
  /** Override the audience (default `https://{domain}/api/v2/`). */
  audience?: string;
  /** One credential, or a pool from which the least privileged covering credential is picked per call. */
  credentials: Credential | readonly Credential[];
  /** L2 store (default `memoryStore()`; `redisStore()` for a fleet). */
  store?: TokenStore;
  /** Refresh a token in the background this long before it expires (ms, default 60 000). */
  refreshAhead?: number;
  /** Extra random part of `refreshAhead` so a fleet does not refresh in lockstep (0–1, default 0.2). */
  refreshJitter?: number;
  /** Clock-skew allowance: a token is treated as expired this long before its expiry (ms, default 5 000). */
  leeway?: number;
  /** Serve a still-valid token when the token endpoint fails (default true). */
  staleIfError?: boolean;
  /** 'covering' (default): reuse any valid token whose granted scopes cover the need; 'exact': only one minted for exactly that set. */
  reuse?: 'covering' | 'exact';
  /** 'error' (default) refuses scope names the Management API does not know. */
  unknownScopes?: 'error' | 'allow';
  /** Token request timeout (ms, default 10 000). */
  timeoutMs?: number;
  /** Largest token response accepted (bytes, default 65 536). */
  maxResponseBytes?: number;
  /** Foreground retries of a failing mint when no valid token can be served (default {retries: 2, minDelayMs: 250, maxDelayMs: 4000}). */
  retry?: { retries?: number; minDelayMs?: number; maxDelayMs?: number };
  /** Back-off between background attempts after a failed refresh (default {minMs: 1000, maxMs: 60 000}). */
  backoff?: { minMs?: number; maxMs?: number };
  /** Fleet single-flight through `store.lease` (ttl ms default 15 000; wait for another holder ms default 5 000). */
  lease?: { ttlMs?: number; waitMs?: number };
  /** Epoch milliseconds (default Date.now). */
  clock?: () => number;
  /** Random number in [0, 1) for jitter (default Math.random). */
  random?: () => number;
  /** fetch implementation (default globalThis.fetch). */
  fetch?: typeof globalThis.fetch;
  /** Called for every event; a throwing listener is ignored. */
  onEvent?: (event: TokenEvent) => void;
}

export interface TokenProvider extends TokenSource {
  getToken(need: ScopeNeed | readonly string[], options?: GetTokenOptions): Promise<AccessToken>;
  /** Drop a token from the in-process cache and the store (after a 401 or a revocation). */
  invalidate(token: string | AccessToken): Promise<void>;
  /** Subscribe to one event type (or '*'); returns an unsubscribe function. */
  on<T extends TokenEventType | '*'>(
    type: T,
    listener: (event: T extends '*' ? TokenEvent : Extract<TokenEvent, { type: T }>) => void,
  ): () => void;
  /** Resolves when every background refresh has finished (for tests and graceful shutdown). */
  settle(): Promise<void>;
  /** The tenant domain, audience and token URL in use. */
  readonly endpoint: Readonly<Endpoint>;
}

interface Entry {
  readonly token: StoredToken;
  readonly partition: string;
  readonly grantedKey: string;
  readonly grantedSet: ReadonlySet<string>;
  readonly requestedKey: string;
  readonly requested: readonly string[];
  /** storeKey(partition, requested): the single-flight / refresh / back-off key of this entry. */
  readonly refreshKey: string;
  readonly refreshAt: number;
  readonly storeKeys: readonly string[];
  readonly cred: Credential;
  /** The AccessToken handed out for this entry (made once). */
  handle: AccessToken | undefined;
}

interface CredentialState {
  /** Explicit (from `grants`) or learned grants. */
  grants: string[] | undefined;
  grantsSet: ReadonlySet<string> | undefined;
  /** True when `grants` is the full set (explicit, or learned from a server that granted more than asked). */
  authoritative: boolean;
  /** Set once a mint of this credential has succeeded. */
  probed: boolean;
  /** The first mint in flight; others wait for it, then look again. */
  probe: Promise<unknown> | undefined;
  /** 429: no request before this time. */
  blockedUntil: number;
  blockedBy: TokenRateLimitError | undefined;
}

type AltList = readonly (readonly string[])[];

/**
 * The validated, normalised form of one `getToken(required, {anyOf})` input (preferred set first, frozen), and
 * the cache entry that satisfied it last time. Memoised per input array identity, so a caller passing the
 * same arrays on every call (the management client does) skips validation, sorting and key building.
 */
interface Alts {
  readonly list: AltList;
  /**
   * The last memory hit for this input, from the first (most preferred) credential candidate. Valid only
   * while `version` equals the provider's L1 version (no cache entry or credential grant changed since);
   * expiry, revocation and the refresh window are re-checked on every use.
   */
  last: LastHit | undefined;
}

interface LastHit {
  readonly version: number;
  readonly entry: Entry;
  readonly internal: CredentialInternal;
}

interface AltsMemo {
  readonly alts: Alts;
  /** Copies of the input's contents: an input whose arrays changed in place (or another `anyOf`) is recomputed. */
  readonly required: readonly string[];
  readonly anyOf: AltList | undefined;
}

/** How many not-yet-memoised `required` arrays are remembered (strongly) to spot the ones callers reuse. */
const RECENT_INPUTS = 64;

interface Backoff {
  until: number;
  attempt: number;
  error: TokenError;
}

const KEY_VERSION = 'sb1';

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'pass {domain, credentials}');
  }
  const endpoint = resolveEndpoint(options);
  const creds = validateCredentials(options.credentials);
  const isPool = Array.isArray(options.credentials);
  const store = options.store ?? memoryStore({ clock: options.clock });
  if (typeof store.get !== 'function' || typeof store.set !== 'function' || typeof store.delete !== 'function') {
    throw new InvalidOptionError('store', 'must implement get(key), set(key, value, ttlMs) and delete(key)');
  }
  const refreshAhead = nonNegative('refreshAhead', options.refreshAhead, 60_000);
  const refreshJitter = options.refreshJitter ?? 0.2;
  if (typeof refreshJitter !== 'number' || !(refreshJitter >= 0 && refreshJitter <= 1)) {
    throw new InvalidOptionError('refreshJitter', 'must be a number between 0 and 1');
  }
  const leeway = nonNegative('leeway', options.leeway, 5_000);
  const staleIfError = options.staleIfError ?? true;
  const reuse = options.reuse ?? 'covering';
  if (reuse !== 'covering' && reuse !== 'exact') throw new InvalidOptionError('reuse', "must be 'covering' or 'exact'");
  const unknownScopes = options.unknownScopes ?? 'error';
  if (unknownScopes !== 'error' && unknownScopes !== 'allow') {
    throw new InvalidOptionError('unknownScopes', "must be 'error' or 'allow'");
  }
  const timeoutMs = positive('timeoutMs', options.timeoutMs, 10_000);
  const maxResponseBytes = positive('maxResponseBytes', options.maxResponseBytes, 65_536);
  const retries = nonNegative('retry.retries', options.retry?.retries, 2);
  const retryMin = nonNegative('retry.minDelayMs', options.retry?.minDelayMs, 250);
  const retryMax = nonNegative('retry.maxDelayMs', options.retry?.maxDelayMs, 4_000);
  const backoffMin = nonNegative('backoff.minMs', options.backoff?.minMs, 1_000);
  const backoffMax = nonNegative('backoff.maxMs', options.backoff?.maxMs, 60_000);
  const leaseTtl = positive('lease.ttlMs', options.lease?.ttlMs, Math.max(15_000, timeoutMs + 5_000));
  const leaseWait = nonNegative('lease.waitMs', options.lease?.waitMs, 5_000);
  for (const name of ['clock', 'random', 'fetch', 'onEvent'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new InvalidOptionError(name, 'must be a function');
    }
  }
  const now = options.clock ?? (() => Date.now());
  const random = options.random ?? Math.random;
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  // ---- instance state (never module-level) ----
  const l1 = new Map<string, Map<string, Entry>>(); // partition → grantedKey → entry
  const flights = new Map<string, Promise<Entry>>();
  const refreshes = new Map<string, Promise<void>>();
  const backoffs = new Map<string, Backoff>();
  const deferred = new Map<string, number>(); // refresh left to another lease holder until
  const revoked = new Map<string, number>(); // token → forget after (epoch ms)
  const partitions = new Map<string, Credential>();
  const states = new Map<Credential, CredentialState>();
  const listeners = new Map<string, Set<(event: TokenEvent) => void>>();
  let listenerCount = 0;
  /** Bumped on every change of the L1 cache or of a credential's known grants (invalidates fast paths). */
  let l1Version = 0;
  /** `required` array → memoised alternatives. Weak: callers' arrays are not kept alive by it. */
  const altsMemo = new WeakMap<object, AltsMemo>();
  /**
   * `required` arrays seen once and not memoised yet (bounded; cleared when full). An array seen a second
   * time is memoised; arrays made fresh for every call never are, so they do not churn the WeakMap.
   */
  const recentInputs = new Set<object>();
  const basePartitions = new Map<Credential, string>();
  const needAlts = new WeakMap<ScopeNeed, Alts>();
  const altsOfNeed = (need: ScopeNeed): Alts => {
    let alts = needAlts.get(need);
    if (!alts) needAlts.set(need, (alts = { list: need.alternatives, last: undefined }));
    return alts;
  };
  for (const cred of creds) {
    states.set(cred, {
      grants: cred.grants ? [...cred.grants] : undefined,
      grantsSet: cred.grants ? new Set(cred.grants) : undefined,
      authoritative: cred.grants !== undefined,
      probed: false,
      probe: undefined,
      blockedUntil: 0,
      blockedBy: undefined,
    });
  }

  const emit = (event: TokenEvent): void => {
    const call = (fn: (e: TokenEvent) => void) => {
      try {
        fn(event);
      } catch {
        // a listener must not break token delivery
      }
    };
    if (options.onEvent) call(options.onEvent);
    for (const fn of listeners.get(event.type) ?? []) call(fn);
    for (const fn of listeners.get('*') ?? []) call(fn);
  };

  /** True when an event would reach anyone (so hot paths build event objects only then). */
  const listening = (): boolean => listenerCount > 0 || Boolean(options.onEvent);

  const stateOf = (cred: Credential): CredentialState => states.get(cred)!;

  // ---- keys ----
  const basePartition = (cred: Credential): string => {
    const known = basePartitions.get(cred);
    if (known !== undefined) return known;
    const p = `${KEY_VERSION}|${endpoint.domain}|${endpoint.audience}|${cred.clientId}`;
    if (!partitions.has(p)) partitions.set(p, cred);
    basePartitions.set(cred, p);
    return p;
  };
  const partitionOf = async (cred: Credential, internal: CredentialInternal): Promise<string> => {
    let p = `${KEY_VERSION}|${endpoint.domain}|${endpoint.audience}|${cred.clientId}`;
    if (internal.type === 'self-signed') {
      const fp = await internal.fingerprint();
      p += `|${fp}`;
      // A rotated secret: drop every token signed with another one.
      const prefix = `${KEY_VERSION}|${endpoint.domain}|${endpoint.audience}|${cred.clientId}|`;
      for (const [other, owner] of partitions) {
        if (owner === cred && other !== p && other.startsWith(prefix)) {
          l1.delete(other);
          partitions.delete(other);
          l1Version++;
        }
      }
    }
    partitions.set(p, cred);
    return p;
  };
  const storeKey = (partition: string, scopes: readonly string[]): string => `${partition}|${scopeKey(scopes)}`;
  /**
   * Fleet-wide grant discovery: the latest token of a credential whose server granted more than was asked
   * (Auth0 does), i.e. a token carrying the credential's whole grant. A cold process reads it to learn the
   * grant, so a fleet asking for many different scope sets still mints once.
   */
  const discoveryKey = (partition: string): string => `${partition}|*`;

  // ---- predicates (pure, injectable clock) ----
  const usable = (token: StoredToken, at: number): boolean => at < token.expiresAt - leeway && !revoked.has(token.accessToken);
  const satisfies = (
    entry: { token: StoredToken; requestedKey?: string; grantedSet?: ReadonlySet<string> },
    alts: readonly (readonly string[])[],
  ): boolean => {
    const granted = entry.grantedSet ?? new Set(entry.token.scopes);
    return alts.some((alt) =>
      reuse === 'exact'
        ? (scopeKey(alt) === scopeKey(entry.token.scopes) || scopeKey(alt) === entry.requestedKey) && covers(granted, alt)
        : covers(granted, alt),
    );
  };

  /** The least privileged valid cached token that satisfies one alternative. */
  const findL1 = (partition: string, alts: readonly (readonly string[])[], at: number): Entry | undefined => {
    const bucket = l1.get(partition);
    if (!bucket) return undefined;
    let best: Entry | undefined;
    for (const [key, entry] of bucket) {
      if (at >= entry.token.expiresAt || revoked.has(entry.token.accessToken)) {
        bucket.delete(key);
        l1Version++;
        continue;
      }
      if (!usable(entry.token, at) || !satisfies(entry, alts)) continue;
      if (
        !best ||
        entry.token.scopes.length < best.token.scopes.length ||
        (entry.token.scopes.length === best.token.scopes.length && entry.token.expiresAt > best.token.expiresAt)
      ) {
        best = entry;
      }
    }
    return best;
  };

  const insertL1 = (
    cred: Credential,
    partition: string,
    token: StoredToken,
    requested: readonly string[],
    storeKeys: readonly string[],
  ): Entry => {
    const lifetime = token.expiresAt - token.mintedAt;
    const ahead = refreshAhead * (1 + refreshJitter * random());
    const refreshAt = Math.max(token.expiresAt - ahead, token.mintedAt + lifetime / 2);
    const normalized = normalizeScopes(requested);
    const entry: Entry = {
      token,
      partition,
      grantedKey: scopeKey(token.scopes),
      grantedSet: new Set(token.scopes),
      requestedKey: normalized.join(' '),
      requested: normalized,
      refreshKey: storeKey(partition, normalized),
      refreshAt,
      storeKeys,
      cred,
      handle: undefined,
    };
    let bucket = l1.get(partition);
    if (!bucket) l1.set(partition, (bucket = new Map()));
    bucket.set(entry.grantedKey, entry);
    l1Version++;
    // Forget revocations of tokens that have expired anyway.
    const t = now();
    for (const [value, until] of revoked) if (t >= until) revoked.delete(value);
    return entry;
  };

  // ---- store access: failures are events, never caller errors ----
  const storeGet = async (key: string, cred: Credential): Promise<StoredToken | undefined> => {
    try {
      const value = await store.get(key);
      return isStoredToken(value) && value.clientId === cred.clientId ? value : undefined;
    } catch (error) {
      storeError(error, cred, []);
      return undefined;
    }
  };
  const storeError = (error: unknown, cred: Credential, requested: readonly string[]) => {
    emit({
      type: 'error',
      stage: 'store',
      clientId: cred.clientId,
      requested,
      code: error instanceof TokenError ? error.code : 'ERR_STORE',
      durationMs: 0,
      error: error instanceof TokenError ? error : safeStoreError(error),
    });
  };

  const lookupStore = async (
    cred: Credential,
    partition: string,
    alts: readonly (readonly string[])[],
  ): Promise<Entry | undefined> => {
    const keys = new Set(alts.map((alt) => storeKey(partition, alt)));
    const state = stateOf(cred);
    const grants = state.grants;
    if (reuse === 'covering' && grants) keys.add(storeKey(partition, grants));
    if (reuse === 'covering' && !state.authoritative) keys.add(discoveryKey(partition));
    const found = await Promise.all(Array.from(keys, async (key) => ({ key, token: await storeGet(key, cred) })));
    const at = now();
    let best: { key: string; token: StoredToken } | undefined;
    for (const f of found) {
      if (!f.token || !usable(f.token, at)) continue;
      const requestedKey = f.key.slice(partition.length + 1);
      if (!satisfies({ token: f.token, requestedKey }, alts)) continue;
      if (!best || f.token.scopes.length < best.token.scopes.length) best = f as { key: string; token: StoredToken };
    }
    if (!best) return undefined;
    if (best.key === discoveryKey(partition)) {
      const { grantComplete, ...token } = best.token;
      if (grantComplete === true) adoptDiscovered(state, token);
      best = { key: storeKey(partition, token.scopes), token };
    }
    const requested = best.key.slice(partition.length + 1);
    const storeKeys = Array.from(new Set([best.key, storeKey(partition, best.token.scopes)]));
    const entry = insertL1(cred, partition, best.token, normalizeScopes(requested), storeKeys);
    if (listening()) {
      emit({ type: 'hit', source: 'store', clientId: cred.clientId, scopes: entry.token.scopes, expiresAt: entry.token.expiresAt });
    }
    return entry;
  };

  // ---- minting ----
  const mintOnce = async (
    cred: Credential,
    internal: CredentialInternal,
    partition: string,
    requested: readonly string[],
    kind: 'mint' | 'refresh',
  ): Promise<Entry> => {
    const state = stateOf(cred);
    const started = now();
    if (started < state.blockedUntil && state.blockedBy) {
      throw rateLimitedFor(state, started);
    }
    const ctx = { domain: endpoint.domain, audience: endpoint.audience, tokenUrl: endpoint.tokenUrl, scopes: requested, now: started };
    let token: StoredToken;
    let quota: QuotaLimit[] = [];
    try {
      if (internal.type === 'self-signed') {
        const signed = await internal.sign(ctx);
        token = {
          accessToken: signed.accessToken,
          tokenType: 'Bearer',
          scopes: [...requested],
          expiresAt: signed.expiresAt,
          mintedAt: started,
          clientId: cred.clientId,
        };
      } else {
        const auth = await internal.authenticate(ctx);
        const form: Record<string, string> = {
          grant_type: 'client_credentials',
          client_id: cred.clientId,
          audience: endpoint.audience,
          ...auth.body,
        };
        if (requested.length > 0) form.scope = requested.join(' ');
        const res = await requestToken({
          fetch: fetchImpl,
          url: endpoint.tokenUrl,
          form,
          headers: auth.headers,
          clientId: cred.clientId,
          secrets: auth.secrets,
          timeoutMs,
          maxResponseBytes,
          now,
        });
        quota = res.quota;
        const grantedText = res.scope ?? jwtScopeClaim(res.accessToken);
        token = {
          accessToken: res.accessToken,
          tokenType: 'Bearer',
          scopes: grantedText === undefined ? [...requested] : normalizeScopes(grantedText),
          expiresAt: started + res.expiresIn * 1000,
          mintedAt: started,
          clientId: cred.clientId,
        };
      }
    } catch (error) {
      if (error instanceof TokenRateLimitError) {
        state.blockedUntil = now() + error.retryAfterMs;
        state.blockedBy = error;
      }
      emit({
        type: 'error',
        stage: kind,
        clientId: cred.clientId,
        requested,
        code: error instanceof TokenError ? error.code : 'ERR_UNKNOWN',
        ...(error instanceof TokenEndpointError ? { status: error.status } : {}),
        ...(error instanceof TokenRateLimitError ? { retryAfterMs: error.retryAfterMs, quota: error.quota } : {}),
        durationMs: now() - started,
        error,
      });
      throw error;
    }
    const wasBroader = token.scopes.length > requested.length || !covers(token.scopes, requested);
    learn(state, requested, token.scopes);
    const keys = Array.from(new Set([storeKey(partition, token.scopes), storeKey(partition, requested)]));
    const writes: [string, StoredToken][] = keys.map((key) => [key, token]);
    if (reuse === 'covering' && internal.type !== 'self-signed') {
      // The credential's latest token, marked when it carries the whole grant.
      writes.push([discoveryKey(partition), { ...token, grantComplete: wasBroader }]);
    }
    const entry = insertL1(cred, partition, token, requested, writes.map(([key]) => key));
    const ttl = token.expiresAt - leeway - now();
    if (ttl > 0) {
      await Promise.all(
        writes.map(([key, value]) =>
          Promise.resolve()
            .then(() => store.set(key, value, ttl))
            .catch((error: unknown) => storeError(error, cred, requested)),
        ),
      );
    }
    emit({
      type: kind,
      clientId: cred.clientId,
      requested: [...requested],
      scopes: token.scopes,
      durationMs: now() - started,
      expiresAt: token.expiresAt,
      quota,
    });
    return entry;
  };

  const learn = (state: CredentialState, requested: readonly string[], granted: readonly string[]) => {
    state.probed = true;
    l1Version++;
    if (state.authoritative && state.grants && state.grants.length > 0) return;
    const broader = granted.length > requested.length || !covers(granted, requested);
    if (broader) {
      // The server granted more than asked (Auth0 does): that is the application's whole grant.
      state.grants = [...granted];
      state.authoritative = true;
    } else {
      state.grants = normalizeScopes([...(state.grants ?? []), ...granted]);
    }
    state.grantsSet = new Set(state.grants);
  };

  /** A discovery record carries a credential's whole grant (its server granted more than asked). */
  const adoptDiscovered = (state: CredentialState, token: StoredToken) => {
    state.probed = true;
    l1Version++;
    if (state.authoritative && state.grants && state.grants.length > 0) return;
    state.grants = [...token.scopes];
    state.grantsSet = new Set(state.grants);
    state.authoritative = true;
  };

  const rateLimitedFor = (state: CredentialState, at: number): TokenRateLimitError => {
    const by = state.blockedBy!;
    return new TokenRateLimitError({
      headers: by.headers,
      error: by.error,
      errorDescription: by.errorDescription,
      clientId: by.clientId,
      retryAfterMs: Math.max(0, state.blockedUntil - at),
      quota: by.quota,
    });
  };

  /** Foreground mint with bounded retries for retryable failures. */
  const mintWithRetry = async (
    cred: Credential,
    internal: CredentialInternal,
    partition: string,
    requested: readonly string[],
  ): Promise<Entry> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await mintOnce(cred, internal, partition, requested, 'mint');
      } catch (error) {
        if (!(error instanceof TokenError) || !error.retryable || attempt >= retries) throw error;
        let delay = Math.min(retryMax, retryMin * 2 ** attempt) * (0.5 + random() / 2);
        if (error instanceof TokenRateLimitError) {
          if (error.retryAfterMs > retryMax) throw error;
          delay = error.retryAfterMs;
        }
        await sleep(delay);
      }
    }
  };

  /** Through the store's lease when it has one, so one process of a fleet mints. */
  const mintShared = async (
    cred: Credential,
    internal: CredentialInternal,
    partition: string,
    requested: readonly string[],
    alts: readonly (readonly string[])[],
  ): Promise<Entry> => {
    if (!store.lease) return mintWithRetry(cred, internal, partition, requested);
    const state = stateOf(cred);
    if (reuse === 'covering' && internal.type !== 'self-signed' && !state.authoritative && !state.probed) {
      // First mint of this credential here, grant unknown: one process of the fleet discovers it.
      const dKey = discoveryKey(partition);
      let dLease: Awaited<ReturnType<NonNullable<TokenStore['lease']>>>;
      try {
        dLease = await store.lease(dKey, leaseTtl);
      } catch (error) {
        storeError(error, cred, requested);
        return mintWithRetry(cred, internal, partition, requested);
      }
      if (dLease) {
        try {
          return await mintPerSet(cred, internal, partition, requested, alts);
        } finally {
          await Promise.resolve()
            .then(() => dLease!.release())
            .catch((error: unknown) => storeError(error, cred, requested));
        }
      }
      const discovered = await awaitKey(dKey, cred, partition, alts);
      if (discovered) return discovered;
    }
    return mintPerSet(cred, internal, partition, requested, alts);
  };

  /** Wait for another holder's result under `key` (waitFor, else bounded polling of the store). */
  const awaitKey = async (
    key: string,
    cred: Credential,
    partition: string,
    alts: readonly (readonly string[])[],
  ): Promise<Entry | undefined> => {
    if (store.waitFor) {
      try {
        await store.waitFor(key, leaseWait);
      } catch (error) {
        storeError(error, cred, []);
      }
      return lookupStore(cred, partition, alts);
    }
    const deadline = now() + leaseWait;
    for (let i = 0, delay = 25; i < 50 && now() < deadline; i++, delay = Math.min(delay * 2, 500)) {
      await sleep(delay);
      const found = await lookupStore(cred, partition, alts);
      if (found) return found;
    }
    return undefined;
  };

  /** Per requested scope set: one holder of the fleet mints it. */
  const mintPerSet = async (
    cred: Credential,
    internal: CredentialInternal,
    partition: string,
    requested: readonly string[],
    alts: readonly (readonly string[])[],
  ): Promise<Entry> => {
    const key = storeKey(partition, requested);
    if (!store.lease) return mintWithRetry(cred, internal, partition, requested);
    let lease: Awaited<ReturnType<NonNullable<TokenStore['lease']>>>;
    try {
      lease = await store.lease(key, leaseTtl);
    } catch (error) {
      storeError(error, cred, requested);
      return mintWithRetry(cred, internal, partition, requested);
    }
    if (lease) {
      try {
        const again = await lookupStore(cred, partition, alts);
        if (again) return again;
        return await mintWithRetry(cred, internal, partition, requested);
      } finally {
        await Promise.resolve()
          .then(() => lease!.release())
          .catch((error: unknown) => storeError(error, cred, requested));
      }
    }
    // Another holder is minting: wait for its result, then mint ourselves if it never comes.
    const found = (await awaitKey(key, cred, partition, alts)) ?? (await lookupStore(cred, partition, alts));
    return found ?? mintWithRetry(cred, internal, partition, requested);
  };

  /** Single-flight per (partition, requested set): L2, then mint. `force` skips straight to minting. */
  const flight = (
    cred: Credential,
    internal: CredentialInternal,
    partition: string,
    requested: readonly string[],
    alts: readonly (readonly string[])[],
    force = false,
  ): Promise<Entry> => {
    const key = storeKey(partition, requested);
    const existing = flights.get(key);
    if (existing) return existing;
    const state = stateOf(cred);
    const work = (async (): Promise<Entry> => {
      if (force) return mintWithRetry(cred, internal, partition, requested);
      // The first mint of a credential tells us what it is granted: wait for it, then look again.
      for (let i = 0; i < 3 && state.probe; i++) {
        await state.probe;
        const hit = findL1(partition, alts, now());
        if (hit) return hit;
      }
      let endProbe: (() => void) | undefined;
      if (!state.probed && !state.probe) {
        state.probe = new Promise<void>((r) => (endProbe = r));
      }
      try {
        // A refresh of this very key is under way: its result may do.
        const refreshing = refreshes.get(key);
        if (refreshing) {
          await refreshing;
          const hit = findL1(partition, alts, now());
          if (hit) return hit;
        }
        const fromStore = await lookupStore(cred, partition, alts);
        if (fromStore) return fromStore;
        const hit = findL1(partition, alts, now());
        if (hit) return hit;
        return await mintShared(cred, internal, partition, requested, alts);
      } finally {
        if (endProbe) {
          state.probe = undefined;
          endProbe();
        }
      }
    })();
    const tracked = work.finally(() => {
      if (flights.get(key) === tracked) flights.delete(key);
    });
    flights.set(key, tracked);
    return tracked;
  };

  /** A background refresh: pick up a newer token another process stored, else mint (under the lease if any). */
  const refreshJob = async (entry: Entry, internal: CredentialInternal, key: string): Promise<void> => {
    const newer = await storeGet(key, entry.cred);
    if (newer && usable(newer, now()) && newer.expiresAt > entry.token.expiresAt && covers(newer.scopes, entry.requested)) {
      insertL1(entry.cred, entry.partition, newer, entry.requested, [key, storeKey(entry.partition, newer.scopes)]);
      return;
    }
    let lease: Awaited<ReturnType<NonNullable<TokenStore['lease']>>>;
    if (store.lease) {
      try {
        lease = await store.lease(key, leaseTtl);
        if (!lease) {
          // Another process is refreshing it; look again shortly.
          deferred.set(key, now() + Math.min(1_000, refreshAhead / 4));
          return;
        }
      } catch (error) {
        storeError(error, entry.cred, entry.requested);
      }
    }
    try {
      await mintOnce(entry.cred, internal, entry.partition, entry.requested, 'refresh');
    } finally {
      if (lease) {
        await Promise.resolve()
          .then(() => lease!.release())
          .catch((error: unknown) => storeError(error, entry.cred, entry.requested));
      }
    }
  };

  /** Serve `entry`; start a background refresh when it is in its refresh window. */
  const serve = (entry: Entry, internal: CredentialInternal, at: number): 'fresh' | 'stale' | 'must-mint' => {
    if (at < entry.refreshAt) return 'fresh';
    const key = entry.refreshKey;
    const failed = backoffs.get(key);
    if (failed && at < failed.until) {
      if (!staleIfError) return 'must-mint';
      emit({
        type: 'stale-served',
        clientId: entry.cred.clientId,
        scopes: entry.token.scopes,
        expiresAt: entry.token.expiresAt,
        errorCode: failed.error.code,
        retryAt: failed.until,
      });
      return 'stale';
    }
    if (refreshes.has(key) || flights.has(key)) return 'fresh';
    const later = deferred.get(key);
    if (later !== undefined) {
      if (at < later) return 'fresh';
      deferred.delete(key);
    }
    const state = stateOf(entry.cred);
    if (at < state.blockedUntil && state.blockedBy) {
      if (!staleIfError) return 'must-mint';
      emit({
        type: 'stale-served',
        clientId: entry.cred.clientId,
        scopes: entry.token.scopes,
        expiresAt: entry.token.expiresAt,
        errorCode: state.blockedBy.code,
        retryAt: state.blockedUntil,
      });
      return 'stale';
    }
    const job = refreshJob(entry, internal, key)
      .then(() => {
        backoffs.delete(key);
      })
      .catch((error: unknown) => {
        const previous = backoffs.get(key);
        const attempt = previous ? previous.attempt + 1 : 0;
        let wait = Math.min(backoffMax, backoffMin * 2 ** attempt) * (0.5 + random() / 2);
        if (error instanceof TokenRateLimitError) wait = Math.max(wait, error.retryAfterMs);
        const tokenError =
          error instanceof TokenError ? error : new TokenError('ERR_TOKEN_NETWORK', 'The refresh failed unexpectedly.');
        backoffs.set(key, { until: now() + wait, attempt, error: tokenError });
      })
      .finally(() => {
        refreshes.delete(key);
      });
    refreshes.set(key, job);
    return 'fresh';
  };

  const candidatesFor = (alts: readonly (readonly string[])[]) => {
    const known: { cred: Credential; alt: readonly string[]; size: number; index: number }[] = [];
    const unknown: { cred: Credential; alt: readonly string[] }[] = [];
    const unsure: { cred: Credential; alt: readonly string[] }[] = [];
    creds.forEach((cred, index) => {
      const st = stateOf(cred);
      if (!st.grants) {
        unknown.push({ cred, alt: alts[0]! });
        return;
      }
      const alt = alts.find((a) => covers(st.grantsSet!, a));
      if (alt) known.push({ cred, alt, size: st.grants.length, index });
      else if (!st.authoritative) unsure.push({ cred, alt: alts[0]! });
    });
    known.sort((a, b) => a.size - b.size || a.index - b.index);
    return [...known, ...unknown, ...unsure];
  };

  const resolve = async (input: Alts): Promise<Entry> => {
    const alts = input.list;
    const candidates = candidatesFor(alts);
    if (candidates.length === 0) throw noCovering(alts);
    let lastError: unknown;
    for (let i = 0; i < candidates.length; i++) {
      const { cred, alt } = candidates[i]!;
      const internal = internalOf(cred);
      try {
        const partition = internal.type === 'http' ? basePartition(cred) : await partitionOf(cred, internal);
        const at = now();
        const hit = findL1(partition, alts, at);
        if (hit) {
          const version = l1Version;
          const verdict = serve(hit, internal, at);
          if (verdict !== 'must-mint') {
            if (verdict === 'fresh' && listening()) {
              emit({ type: 'hit', source: 'memory', clientId: cred.clientId, scopes: hit.token.scopes, expiresAt: hit.token.expiresAt });
            }
            // Remember it for the next call with this input. Only for the most preferred candidate (so no
            // other credential's outcome is skipped) and only for network credentials (a self-signed one must
            // check its secret for rotation on every call).
            if (i === 0 && internal.type === 'http') input.last = { version, entry: hit, internal };
            return hit;
          }
          const fresh = await flight(cred, internal, partition, hit.requested, alts, true);
          return fresh;
        }
        const entry = await flight(cred, internal, partition, alt, alts);
        if (!alts.some((a) => covers(entry.grantedSet, a))) {
          throw new InsufficientGrantError(cred.clientId, missingScopes(entry.token.scopes, alt), entry.token.scopes);
        }
        if (now() >= entry.token.expiresAt) throw new TokenError('ERR_TOKEN_RESPONSE_INVALID', 'The token expired before it could be used; check the clock and `leeway`.');
        return entry;
      } catch (error) {
        lastError = error;
        const refused =
          error instanceof InsufficientGrantError ||
          (error instanceof TokenEndpointError &&
            !(error instanceof TokenRateLimitError) &&
            (error.status === 403 || error.error === 'access_denied' || error.error === 'unauthorized_client'));
        if (!refused || !isPool) throw error;
      }
    }
    if (!isPool) throw lastError;
    throw noCovering(alts, lastError);
  };

  const noCovering = (alts: readonly (readonly string[])[], cause?: unknown) =>
    new NoCoveringCredentialError(
      alts,
      creds.map((cred) => ({ clientId: cred.clientId, grants: stateOf(cred).grants ?? ('unknown' as const) })),
      cause,
    );

  const sleep = (ms: number) =>
    new Promise<void>((r) => {
      const t = setTimeout(r, ms);
      (t as { unref?: () => void }).unref?.();
    });

  /**
   * The alternatives of this input, memoised per `required` array identity (validated once; recomputed when
   * the arrays' contents differ from what was memoised).
   */
  const alternativesOf = (required: readonly string[], anyOf: AltList | undefined): Alts => {
    const memo = altsMemo.get(required as object);
    if (memo !== undefined && sameInput(memo, required, anyOf)) return memo.alts;
    // Throws on bad input (nothing is memoised then); past this point both inputs are arrays of strings.
    const list = alternatives(required, anyOf, unknownScopes);
    const alts: Alts = { list, last: undefined };
    if (memo !== undefined || recentInputs.delete(required)) {
      altsMemo.set(required, { alts, required: [...required], anyOf: anyOf?.map((a) => [...a]) });
    } else {
      if (recentInputs.size >= RECENT_INPUTS) recentInputs.clear();
      recentInputs.add(required);
    }
    return alts;
  };

  /** The cache-hit fast path: the entry that satisfied this very input last time, if nothing changed since. */
  const fastHit = (alts: Alts): Entry | undefined => {
    const last = alts.last;
    if (last === undefined) return undefined;
    if (last.version !== l1Version) {
      alts.last = undefined;
      return undefined;
    }
    const entry = last.entry;
    const at = now();
    if (!usable(entry.token, at)) return undefined;
    const verdict = serve(entry, last.internal, at);
    if (verdict === 'must-mint') return undefined; // the slow path mints in the foreground
    if (verdict === 'fresh' && listening()) {
      emit({ type: 'hit', source: 'memory', clientId: entry.cred.clientId, scopes: entry.token.scopes, expiresAt: entry.token.expiresAt });
    }
    return entry;
  };

  const slowGetToken = (alts: Alts, signal: AbortSignal | undefined): Promise<AccessToken> => {
    const work = resolve(alts).then((entry) => (entry.handle ??= createAccessToken(entry.token)));
    if (!signal) return work;
    return new Promise<AccessToken>((resolvePromise, reject) => {
      const onAbort = () => reject(new AbortedError());
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolvePromise(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  };

  const provider: TokenProvider = {
    endpoint: Object.freeze({ ...endpoint }),
    getToken(required, getOptions = {}) {
      try {
        const signal = getOptions.signal;
        if (signal?.aborted) throw new AbortedError();
        const alts = isScopeNeed(required) ? altsOfNeed(required) : alternativesOf(required, getOptions.anyOf);
        const hit = fastHit(alts);
        if (hit !== undefined) return Promise.resolve((hit.handle ??= createAccessToken(hit.token)));
        return slowGetToken(alts, signal);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async invalidate(token) {
      const value = typeof token === 'string' ? token : token?.value;
      if (typeof value !== 'string' || value.length === 0) {
        throw new InvalidOptionError('token', 'pass the token string or the AccessToken to invalidate');
      }
      let until = now() + 24 * 3600 * 1000;
      const keys = new Set<string>();
      for (const bucket of l1.values()) {
        for (const [key, entry] of bucket) {
          if (entry.token.accessToken !== value) continue;
          until = Math.max(entry.token.expiresAt, now());
          for (const k of entry.storeKeys) keys.add(k);
          bucket.delete(key);
        }
      }
      l1Version++;
      // A token this process never cached (another process minted it): its scope claim names its key.
      const claim = jwtScopeClaim(value);
      if (claim !== undefined) for (const partition of partitions.keys()) keys.add(storeKey(partition, normalizeScopes(claim)));
      revoked.set(value, until);
      await Promise.all(
        Array.from(keys, (key) =>
          Promise.resolve()
            .then(() => store.delete(key))
            .catch((error: unknown) => storeError(error, creds[0]!, [])),
        ),
      );
    },
    on(type, listener) {
      let set = listeners.get(type);
      if (!set) listeners.set(type, (set = new Set()));
      const fn = listener as (event: TokenEvent) => void;
      if (!set.has(fn)) {
        set.add(fn);
        listenerCount++;
      }
      return () => {
        if (set.delete(fn)) listenerCount--;
      };
    },
    async settle() {
      for (let i = 0; i < 100 && (refreshes.size > 0 || flights.size > 0); i++) {
        await Promise.allSettled([...refreshes.values(), ...flights.values()]);
      }
    },
  };
  return Object.freeze(provider);
}

/**
 * The preferred set first, then the other alternatives, validated, without current_user ones, de-duplicated;
 * frozen (memoised and shared between calls).
 */
function alternatives(required: readonly string[], anyOf: AltList | undefined, unknownScopes: 'error' | 'allow'): AltList {
  const first = Object.freeze(validateScopes(required, { unknownScopes }));
  const out: (readonly string[])[] = [first];
  const seen = new Set([first.join(' ')]);
  if (anyOf !== undefined) {
    if (!Array.isArray(anyOf)) throw new InvalidOptionError('anyOf', 'must be an array of scope arrays');
    for (const alt of anyOf as unknown[]) {
      if (!Array.isArray(alt)) throw new InvalidOptionError('anyOf', 'must be an array of scope arrays');
      let valid: string[];
      try {
        valid = validateScopes(alt, { unknownScopes });
      } catch (error) {
        if ((error as TokenError).code === 'ERR_SPECIAL_SCOPE') continue; // a user-token alternative: not for us
        throw error;
      }
      const key = valid.join(' '); // validateScopes normalises: this is its scopeKey
      if (!seen.has(key)) {
        seen.add(key);
        out.push(Object.freeze(valid));
      }
    }
  }
  return Object.freeze(out);
}

/** True when the input holds what `memo` was computed from (arrays may be changed in place, or fresh). */
function sameInput(memo: AltsMemo, required: readonly string[], anyOf: AltList | undefined): boolean {
  if (!sameStrings(memo.required, required)) return false;
  const was = memo.anyOf;
  if (was === undefined || anyOf === undefined) return was === anyOf;
  if (!Array.isArray(anyOf) || was.length !== anyOf.length) return false;
  for (let i = 0; i < was.length; i++) {
    const alt = anyOf[i];
    if (!Array.isArray(alt) || !sameStrings(was[i]!, alt)) return false;
  }
  return true;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function nonNegative(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidOptionError(option, 'must be a finite number ≥ 0');
  }
  return value;
}

function positive(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionError(option, 'must be a finite number > 0');
  }
  return value;
}

function isStoredToken(value: unknown): value is StoredToken {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.accessToken === 'string' &&
    v.accessToken.length > 0 &&
    Array.isArray(v.scopes) &&
    v.scopes.every((s) => typeof s === 'string') &&
    typeof v.expiresAt === 'number' &&
    typeof v.mintedAt === 'number' &&
    typeof v.clientId === 'string'
  );
}

function safeStoreError(error: unknown): Error {
  const e = new Error(`The token store failed (${error instanceof Error ? error.name : typeof error}); falling back to the in-process cache and local minting.`);
  e.name = 'StoreError';
  return e;
}
