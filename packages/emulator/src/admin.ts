/**
 * The in-process admin API (`emulator.admin`): reset, seed, virtual clock, key and secret rotation, faults,
 * rate limits, quotas, job timing and failures, user-token minting, the demo private key, the journal. admin-http.ts serves the same
 * calls over HTTP under `/__admin/*`.
 */
import { SignJWT } from 'jose';
import { EmulatorError, EmulatorOptionError } from './errors';
import type { FaultRule } from './faults';
import { jobSettingsProblem, type JobFailureRule, type JobTiming } from './jobs/job-record';
import type { Journal } from './journal';
import type { ExplorerHandler } from './options';
import type { QuotaLimits } from './quota';
import { resolveRateLimit, type RateLimitOption } from './rate-limit';
import { activeCredentials } from './resources/clients';
import { randomAlnum, randomHex } from './rng';
import { applySeed, seedRuntime, type Runtime } from './runtime';
import { DEMO_CLIENTS, type SeedData } from './seed';

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
  /** How long new jobs stay pending and processing, and how long an export's download link lives (ms, tenant clock). */
  setJobTiming(timing: JobTiming): Promise<void>;
  /** Make the next job (of `type`, or any; `times` of them) fail with `message`, shown by `GET /jobs/{id}/errors`. */
  failJobs(rule?: JobFailureRule): Promise<void>;
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
      rt.tenant.assertionJtis.clear();
      rt.quota.reset();
      rt.limiter.reset();
      rt.tenant.jobSettings.failures.length = 0;
      await seedRuntime(rt, options.seed ?? rt.options.seed);
    },
    async seed(data) {
      await applySeed(await runtime(), data);
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
      const global = rt.tenant.state.clients.get(rt.tenant.globalClientId);
      if (global) global.client_secret = rt.tenant.apiSecret;
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
    async setJobTiming(timing) {
      const problem = jobSettingsProblem(timing ?? {});
      if (problem) throw new EmulatorOptionError('jobs', problem);
      Object.assign((await runtime()).tenant.jobSettings, timing);
    },
    async failJobs(rule = {}) {
      const problem = jobSettingsProblem({}, rule);
      if (problem) throw new EmulatorOptionError('failJobs', problem);
      (await runtime()).tenant.jobSettings.failures.push({ ...rule });
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
