/**
 * One mint (a self-signed token, or a client-credentials request to the token endpoint), recorded in the
 * L1, the store and the credential's grants; and the foreground mint with bounded retries and back-off.
 */
import type { Credential, CredentialInternal } from '../credential';
import { mintChannel, type TokenMintContext } from '../diagnostics/channels';
import { TokenEndpointError, TokenError, TokenRateLimitError } from '../errors';
import { decodeJwtPayload } from '../http/jwt-payload';
import type { QuotaLimit } from '../quota';
import { normalizeScopes } from '../scopes';
import { requestToken } from '../token-endpoint';
import type { StoredToken } from '../types';
import { emit } from './events';
import { grantedMore, isBlocked, learnFromMint, rateLimitedFor, recordRateLimit } from './grants';
import { discoveryKey, scopeSetKey } from './keys';
import { insertL1, marginFor, type Entry } from './l1-cache';
import type { ResolvedProviderOptions } from './options';
import { stateOf, type ProviderState } from './state';
import { quietly } from './store-io';

/** Where one mint goes: the credential, its implementation, its partition and the scopes to ask for. */
export interface MintTarget {
  readonly cred: Credential;
  readonly internal: CredentialInternal;
  readonly partition: string;
  readonly requested: readonly string[];
}

/** Mint once (no retry). A failure is reported as an 'error' event of stage `kind`, then thrown. */
export async function mintOnce(s: ProviderState, target: MintTarget, kind: 'mint' | 'refresh'): Promise<Entry> {
  const { cred, internal, partition, requested } = target;
  const state = stateOf(s, cred);
  const started = s.opts.now();
  if (isBlocked(state, started)) throw rateLimitedFor(state, started);
  let token: StoredToken;
  let quota: readonly QuotaLimit[];
  try {
    ({ token, quota } = await (mintChannel.hasSubscribers ? tracedFetch(s.opts, target, started, kind) : fetchToken(s.opts, target, started)));
  } catch (error) {
    if (error instanceof TokenRateLimitError) recordRateLimit(state, error, s.opts.now());
    emit(s.events, {
      type: 'error',
      stage: kind,
      clientId: cred.clientId,
      requested,
      code: error instanceof TokenError ? error.code : 'ERR_UNKNOWN',
      ...(error instanceof TokenEndpointError ? { status: error.status } : {}),
      ...(error instanceof TokenRateLimitError ? { retryAfterMs: error.retryAfterMs, quota: error.quota } : {}),
      durationMs: s.opts.now() - started,
      error,
    });
    throw error;
  }
  const wholeGrant = grantedMore(requested, token.scopes);
  learnFromMint(s.l1, state, requested, token.scopes);
  const keys = Array.from(new Set([scopeSetKey(partition, token.scopes), scopeSetKey(partition, requested)]));
  const writes: [string, StoredToken][] = keys.map((key) => [key, token]);
  if (s.opts.reuse === 'covering' && internal.type !== 'self-signed') {
    // The credential's latest token, marked when it carries the whole grant.
    writes.push([discoveryKey(partition), { ...token, grantComplete: wholeGrant }]);
  }
  const entry = insertL1(s.l1, s.opts, cred, partition, token, requested, writes.map(([key]) => key));
  const ttl = token.expiresAt - marginFor(token, s.opts.leeway) - s.opts.now();
  if (ttl > 0) {
    await Promise.all(writes.map(([key, value]) => quietly(s, cred, requested, () => s.opts.store.set(key, value, ttl))));
  }
  emit(s.events, {
    type: kind,
    clientId: cred.clientId,
    requested: [...requested],
    scopes: token.scopes,
    durationMs: s.opts.now() - started,
    expiresAt: token.expiresAt,
    quota,
  });
  return entry;
}

/**
 * `fetchToken` inside a `scopebound:token:mint` trace. The context gets the granted scopes and expiry, never
 * the token: the traced function resolves to nothing, so the channel's `result` stays empty.
 */
async function tracedFetch(
  opts: ResolvedProviderOptions,
  target: MintTarget,
  started: number,
  kind: 'mint' | 'refresh',
): Promise<{ token: StoredToken; quota: readonly QuotaLimit[] }> {
  const self = target.internal.type === 'self-signed';
  const ctx: TokenMintContext = { kind, clientId: target.cred.clientId, requested: target.requested, origin: self ? undefined : new URL(opts.endpoint.tokenUrl).origin };
  let out: { token: StoredToken; quota: readonly QuotaLimit[] } | undefined;
  await mintChannel.tracePromise(async () => {
    out = await fetchToken(opts, target, started);
    ctx.granted = out.token.scopes;
    ctx.expiresAt = out.token.expiresAt;
  }, ctx);
  return out as { token: StoredToken; quota: readonly QuotaLimit[] };
}

/** The token itself: signed here, or asked of the token endpoint (granted scopes from `scope` or the JWT). */
async function fetchToken(
  opts: ResolvedProviderOptions,
  { cred, internal, requested }: MintTarget,
  started: number,
): Promise<{ token: StoredToken; quota: readonly QuotaLimit[] }> {
  const { domain, audience, tokenUrl } = opts.endpoint;
  const ctx = { domain, audience, tokenUrl, scopes: requested, now: started };
  const stored = (accessToken: string, scopes: readonly string[], expiresAt: number): StoredToken => ({
    accessToken,
    tokenType: 'Bearer',
    scopes,
    expiresAt,
    mintedAt: started,
    clientId: cred.clientId,
  });
  if (internal.type === 'self-signed') {
    const signed = await internal.sign(ctx);
    return { token: stored(signed.accessToken, [...requested], signed.expiresAt), quota: [] };
  }
  const auth = await internal.authenticate(ctx);
  const form: Record<string, string> = { grant_type: 'client_credentials', client_id: cred.clientId, audience, ...auth.body };
  if (requested.length > 0) form.scope = requested.join(' ');
  const res = await requestToken({
    fetch: opts.fetch,
    url: tokenUrl,
    form,
    headers: auth.headers,
    clientId: cred.clientId,
    secrets: auth.secrets,
    timeoutMs: opts.timeoutMs,
    maxResponseBytes: opts.maxResponseBytes,
    maxRetryAfterMs: opts.maxRetryAfterMs,
    now: opts.now,
  });
  const claims = decodeJwtPayload(res.accessToken);
  const grantedText = res.scope ?? (typeof claims?.scope === 'string' ? claims.scope : undefined);
  const scopes = grantedText === undefined ? [...requested] : normalizeScopes(grantedText);
  // The token's life is the shorter of expires_in (from when it was asked for) and the JWT's own exp.
  const exp = typeof claims?.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : Number.POSITIVE_INFINITY;
  return { token: stored(res.accessToken, scopes, Math.min(started + res.expiresIn * 1000, exp)), quota: res.quota };
}

/**
 * How long to wait before foreground attempt `attempt + 1` after `error`, or undefined to give up (not
 * retryable, out of retries, or a Retry-After longer than the longest delay). A 429 waits its Retry-After;
 * anything else backs off exponentially with jitter (`random` in [0, 1)).
 */
export function retryDelay(
  error: unknown,
  attempt: number,
  retry: ResolvedProviderOptions['retry'],
  random: () => number,
): number | undefined {
  if (!(error instanceof TokenError) || !error.retryable || attempt >= retry.retries) return undefined;
  const backoff = Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** attempt) * (0.5 + random() / 2);
  if (error instanceof TokenRateLimitError) return error.retryAfterMs > retry.maxDelayMs ? undefined : error.retryAfterMs;
  return backoff;
}

/** Foreground mint with bounded retries for retryable failures. */
export async function mintWithRetry(s: ProviderState, target: MintTarget): Promise<Entry> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await mintOnce(s, target, 'mint');
    } catch (error) {
      const delay = retryDelay(error, attempt, s.opts.retry, s.opts.random);
      if (delay === undefined) throw error;
      await sleep(delay);
    }
  }
}

/** A timer that does not keep the process alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise<void>((r) => {
    const t = setTimeout(r, ms);
    (t as { unref?: () => void }).unref?.();
  });
}
