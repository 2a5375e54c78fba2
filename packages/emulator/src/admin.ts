/**
 * The admin API, in-process (`emulator.admin`) and over HTTP under `/__admin/*` (loopback peers only;
 * never on /api/v2): journal, mint counts, reset, seed, virtual clock, key and secret rotation, faults,
 * rate limits, quotas, user-token minting, the demo private key.
 */
import { SignJWT } from 'jose';
import type { Runtime } from './core';
import { EmulatorError, EmulatorOptionError } from './errors';
import type { FaultRule } from './faults';
import { apiError, json } from './http';
import type { Journal, JournalFilter } from './journal';
import type { ExplorerHandler } from './options';
import type { QuotaLimits } from './quota';
import { resolveRateLimit, type RateLimitOption } from './rate-limit';
import { activeCredentials } from './resources/clients';
import { randomAlnum, randomHex } from './rng';
import { DEMO_CLIENTS, seedBase, seedClient, type SeedData } from './seed';
import { createState } from './state';

export interface MintTokenOptions {
  /** Subject, e.g. a user id for current_user scopes (`auth0|…`) or `<client>@clients`. */
  sub: string;
  scope: string | readonly string[];
  /** Default: the Management API audience. */
  audience?: string;
  /** Lifetime in seconds (default: the tenant's tokenTtl). */
  expiresIn?: number;
  /** Extra claims (e.g. `azp`). */
  claims?: Record<string, unknown>;
}

export interface SigningKeyInfo {
  kid: string;
  current: boolean;
  createdAt: number;
  retiredAt?: number;
}

export interface DemoPrivateKey {
  clientId: string;
  alg: 'RS256';
  kid: string | undefined;
  /** PKCS#8 PEM. Local demo use only. */
  privateKeyPem: string;
  publicKeyPem: string;
}

export interface EmulatorAdmin {
  /** Back to the start: base tenant + the seed (the configured one unless given) + configured clients. */
  reset(options?: { seed?: 'demo' | false | SeedData }): Promise<void>;
  /** Add data to the current state. */
  seed(data: 'demo' | SeedData): Promise<void>;
  /** Advance the virtual clock; returns the new time (epoch ms). */
  advanceClock(ms: number): Promise<number>;
  now(): Promise<number>;
  rotateSigningKey(): Promise<SigningKeyInfo>;
  signingKeys(): Promise<SigningKeyInfo[]>;
  /** Set how long rotated-out keys still verify (ms). */
  setJwksGrace(ms: number): Promise<void>;
  /** Replace the tenant API secret (every signed-secret token dies); returns the new secret. */
  rotateApiSecret(secret?: string): Promise<string>;
  apiSecret(): Promise<string>;
  /** The audience of legacy signed-secret tokens. */
  globalClientId(): Promise<string>;
  setFaults(rules: readonly FaultRule[]): Promise<void>;
  addFault(rule: FaultRule): Promise<string>;
  removeFault(id: string): Promise<boolean>;
  clearFaults(): Promise<void>;
  faults(): Promise<FaultRule[]>;
  setRateLimit(option: RateLimitOption): Promise<void>;
  setQuota(limits: QuotaLimits | undefined): Promise<void>;
  setNarrowScopes(on: boolean): Promise<void>;
  /** Sign an RS256 token with the current key (e.g. a user token for current_user scopes). */
  mintToken(options: MintTokenOptions): Promise<string>;
  /** The demo private_key_jwt client's key pair (seed `demo`). */
  demoPrivateKey(): Promise<DemoPrivateKey>;
  setExplorer(handler: ExplorerHandler | undefined): Promise<void>;
  readonly journal: Journal;
}

export function createAdmin(runtime: () => Promise<Runtime>, journal: Journal): EmulatorAdmin {
  const admin: EmulatorAdmin = {
    async reset(options = {}) {
      const rt = await runtime();
      rt.tenant.state = createState();
      rt.tenant.assertionJtis.clear();
      rt.quota.reset();
      rt.limiter.reset();
      seedBase(rt.tenant);
      await rt.applySeed(options.seed ?? rt.options.seed);
      for (const [i, c] of rt.options.clients.entries()) await seedClient(rt.tenant, c, `clients[${i}]`);
    },
    async seed(data) {
      const rt = await runtime();
      await rt.applySeed(data);
    },
    async advanceClock(ms) {
      const rt = await runtime();
      if (!Number.isFinite(ms) || ms < 0) throw new EmulatorOptionError('ms', 'advanceClock takes a non-negative number of milliseconds');
      return rt.clock.advance(ms);
    },
    async now() {
      return (await runtime()).clock.now();
    },
    async rotateSigningKey() {
      const rt = await runtime();
      const key = await rt.keys.rotate();
      return { kid: key.kid, current: true, createdAt: key.createdAt };
    },
    async signingKeys() {
      const rt = await runtime();
      const current = rt.keys.current().kid;
      return rt.keys.jwks().keys.map((k) => {
        const key = rt.keys.find(k.kid)!;
        return { kid: key.kid, current: key.kid === current, createdAt: key.createdAt, ...(key.retiredAt !== undefined ? { retiredAt: key.retiredAt } : {}) };
      });
    },
    async setJwksGrace(ms) {
      if (!(Number.isFinite(ms) && ms >= 0)) throw new EmulatorOptionError('jwksGraceMs', 'must be a non-negative number of milliseconds');
      (await runtime()).keys.setGrace(ms);
    },
    async rotateApiSecret(secret) {
      const rt = await runtime();
      if (secret !== undefined && (typeof secret !== 'string' || secret.length < 16)) {
        throw new EmulatorOptionError('apiSecret', 'must be a string of at least 16 characters');
      }
      rt.tenant.apiSecret = secret ?? randomAlnum(48);
      return rt.tenant.apiSecret;
    },
    async apiSecret() {
      return (await runtime()).tenant.apiSecret;
    },
    async globalClientId() {
      return (await runtime()).tenant.globalClientId;
    },
    async setFaults(rules) {
      (await runtime()).faults.set(rules);
    },
    async addFault(rule) {
      return (await runtime()).faults.add(rule);
    },
    async removeFault(id) {
      return (await runtime()).faults.remove(id);
    },
    async clearFaults() {
      (await runtime()).faults.clear();
    },
    async faults() {
      return (await runtime()).faults.list();
    },
    async setRateLimit(option) {
      (await runtime()).limiter.configure(resolveRateLimit(option));
    },
    async setQuota(limits) {
      (await runtime()).quota.setDefault(limits);
    },
    async setNarrowScopes(on) {
      (await runtime()).tenant.narrowScopes = on;
    },
    async mintToken(options) {
      const rt = await runtime();
      if (!options || typeof options.sub !== 'string' || options.sub === '') throw new EmulatorOptionError('sub', 'mintToken needs a sub');
      const scope = typeof options.scope === 'string' ? options.scope : options.scope.join(' ');
      const key = rt.keys.current();
      const now = Math.floor(rt.clock.now() / 1000);
      return new SignJWT({ scope, ...(options.claims ?? {}) })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
        .setIssuer(rt.tenant.issuer)
        .setSubject(options.sub)
        .setAudience(options.audience ?? rt.tenant.managementAudience)
        .setIssuedAt(now)
        .setExpirationTime(now + (options.expiresIn ?? rt.tenant.tokenTtl))
        .setJti(randomHex(32))
        .sign(key.privateKey);
    },
    async demoPrivateKey() {
      const rt = await runtime();
      const demo = DEMO_CLIENTS.find((c) => c.authMethod === 'private_key_jwt')!;
      const client = rt.tenant.state.clients.get(demo.clientId);
      if (!client) throw new EmulatorError('ERR_EMULATOR_SEED', 'The demo private_key_jwt client is not seeded: start the emulator with seed: "demo".');
      return {
        clientId: demo.clientId,
        alg: 'RS256',
        kid: activeCredentials(rt.tenant, client)[0]?.kid,
        privateKeyPem: rt.demoKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        publicKeyPem: rt.demoKey.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      };
    },
    async setExplorer(handler) {
      if (handler !== undefined && typeof handler !== 'function') throw new EmulatorOptionError('explorer', 'must be a function (request) => Response');
      (await runtime()).explorer = handler;
    },
    journal,
  };
  return admin;
}

async function jsonBody(request: Request): Promise<any> {
  const text = await request.text();
  return text.trim() ? JSON.parse(text) : {};
}

function journalFilter(q: URLSearchParams): JournalFilter {
  const f: JournalFilter = {};
  if (q.get('operation')) f.operation = q.get('operation')!;
  if (q.get('clientId')) f.clientId = q.get('clientId')!;
  if (q.get('method')) f.method = q.get('method')!;
  if (q.get('status')) f.status = Number(q.get('status'));
  if (q.get('limit')) f.limit = Number(q.get('limit'));
  return f;
}

export const ADMIN_ROUTES: readonly string[] = [
  'GET /__admin',
  'GET /__admin/journal?operation&clientId&method&status&limit',
  'DELETE /__admin/journal',
  'GET /__admin/mints',
  'POST /__admin/reset {seed?}',
  'POST /__admin/seed {…seed data} | {"preset":"demo"}',
  'GET /__admin/clock',
  'POST /__admin/clock/advance {ms}',
  'GET /__admin/keys',
  'POST /__admin/keys/rotate',
  'PUT /__admin/keys/grace {ms}',
  'GET /__admin/secret',
  'POST /__admin/secret/rotate {secret?}',
  'GET /__admin/faults',
  'PUT /__admin/faults [rules]',
  'POST /__admin/faults {rule}',
  'DELETE /__admin/faults',
  'DELETE /__admin/faults/{id}',
  'PUT /__admin/rate-limit {preset|config|false}',
  'PUT /__admin/quota {perHour?, perDay?}',
  'PUT /__admin/narrow-scopes {on}',
  'POST /__admin/tokens {sub, scope, audience?, expiresIn?}',
  'GET /__admin/demo/private-key',
];

export async function handleAdmin(admin: EmulatorAdmin, rt: Runtime, request: Request, url: URL): Promise<Response> {
  const route = `${request.method.toUpperCase()} ${url.pathname.replace(/\/$/, '')}`;
  try {
    switch (route) {
      case 'GET /__admin':
        return json(200, { routes: ADMIN_ROUTES });
      case 'GET /__admin/journal':
        return json(200, { entries: rt.journal.list(journalFilter(url.searchParams)) });
      case 'DELETE /__admin/journal':
        rt.journal.clear();
        return new Response(null, { status: 204 });
      case 'GET /__admin/mints':
        return json(200, { mints: rt.journal.mints() });
      case 'POST /__admin/reset': {
        const b = await jsonBody(request);
        await admin.reset(b.seed !== undefined ? { seed: b.seed } : {});
        return new Response(null, { status: 204 });
      }
      case 'POST /__admin/seed': {
        const b = await jsonBody(request);
        await admin.seed(b.preset === 'demo' ? 'demo' : b);
        return new Response(null, { status: 204 });
      }
      case 'GET /__admin/clock':
        return json(200, { now: rt.clock.now(), offset: rt.clock.offset() });
      case 'POST /__admin/clock/advance': {
        const b = await jsonBody(request);
        return json(200, { now: await admin.advanceClock(Number(b.ms)), offset: rt.clock.offset() });
      }
      case 'GET /__admin/keys':
        return json(200, { keys: await admin.signingKeys(), graceMs: rt.keys.grace() });
      case 'POST /__admin/keys/rotate':
        return json(200, await admin.rotateSigningKey());
      case 'PUT /__admin/keys/grace': {
        const b = await jsonBody(request);
        await admin.setJwksGrace(Number(b.ms));
        return new Response(null, { status: 204 });
      }
      case 'GET /__admin/secret':
        return json(200, { secret: rt.tenant.apiSecret, globalClientId: rt.tenant.globalClientId });
      case 'POST /__admin/secret/rotate': {
        const b = await jsonBody(request);
        return json(200, { secret: await admin.rotateApiSecret(b.secret) });
      }
      case 'GET /__admin/faults':
        return json(200, { faults: rt.faults.list() });
      case 'PUT /__admin/faults':
        await admin.setFaults(await jsonBody(request));
        return json(200, { faults: rt.faults.list() });
      case 'POST /__admin/faults':
        return json(201, { id: await admin.addFault(await jsonBody(request)) });
      case 'DELETE /__admin/faults':
        rt.faults.clear();
        return new Response(null, { status: 204 });
      case 'PUT /__admin/rate-limit':
        await admin.setRateLimit(await jsonBody(request));
        return new Response(null, { status: 204 });
      case 'PUT /__admin/quota': {
        const b = await jsonBody(request);
        await admin.setQuota(Object.keys(b).length ? b : undefined);
        return new Response(null, { status: 204 });
      }
      case 'PUT /__admin/narrow-scopes': {
        const b = await jsonBody(request);
        await admin.setNarrowScopes(Boolean(b.on));
        return new Response(null, { status: 204 });
      }
      case 'POST /__admin/tokens':
        return json(200, { access_token: await admin.mintToken(await jsonBody(request)) });
      case 'GET /__admin/demo/private-key':
        return json(200, await admin.demoPrivateKey());
    }
    const m = /^DELETE \/__admin\/faults\/(.+)$/.exec(route);
    if (m) return (await admin.removeFault(decodeURIComponent(m[1]!))) ? new Response(null, { status: 204 }) : apiError(404, `No fault ${m[1]}`, 'inexistent_fault');
    return apiError(404, `Unknown admin route ${route}; GET /__admin lists them.`, 'not_found');
  } catch (error) {
    if (error instanceof SyntaxError) return apiError(400, 'The admin API takes JSON bodies.', 'invalid_json');
    if (error instanceof EmulatorError) return apiError(400, error.message, error.code);
    throw error;
  }
}
