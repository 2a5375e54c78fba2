/**
 * The emulator's running state, built once the signing keys exist: the tenant (keys, state, secrets) plus
 * the engines the core shares with the admin API. `seedRuntime` is the one way the state gets (re)seeded.
 */
import type { KeyObject } from 'node:crypto';
import type { VirtualClock } from './clock';
import type { FaultEngine } from './faults';
import type { JournalWriter } from './journal';
import { DEFAULT_JOB_SETTINGS } from './jobs/job-record';
import { createKeyRing, generateRsaKeyPair, type KeyRing } from './jwks';
import type { ExplorerHandler, ResolvedOptions } from './options';
import type { QuotaTracker } from './quota';
import type { RateLimiter } from './rate-limit';
import { randomAlnum } from './rng';
import type { Router } from './router';
import { seedBase, seedClient, seedData, seedDemo, type SeedData } from './seed';
import { createState } from './state';
import type { StateSnapshot } from './state-codec';
import { writeLogFn, type Tenant } from './tenant';

/** What exists before the keys are generated (created synchronously by the core). */
export interface RuntimeParts {
  readonly clock: VirtualClock;
  readonly journal: JournalWriter;
  readonly faults: FaultEngine;
  readonly limiter: RateLimiter;
  readonly quota: QuotaTracker;
  readonly router: Router;
  readonly listenOrigins: Set<string>;
}

export interface Runtime extends Omit<RuntimeParts, 'listenOrigins'> {
  readonly options: ResolvedOptions;
  readonly keys: KeyRing;
  readonly tenant: Tenant;
  readonly demoKey: { privateKey: KeyObject; publicKey: KeyObject };
  explorer: ExplorerHandler | undefined;
}

export type SeedChoice = 'demo' | false | SeedData;

/** Add a seed to the current state (`'demo'`, your data, or nothing). */
export async function applySeed(rt: Runtime, seed: SeedChoice): Promise<void> {
  if (seed === 'demo') await seedDemo(rt.tenant, rt.demoKey.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  else if (seed) await seedData(rt.tenant, seed);
}

/** A fresh state: the base tenant, then the seed, then the configured clients. */
export async function seedRuntime(rt: Runtime, seed: SeedChoice): Promise<void> {
  rt.tenant.state = createState();
  seedBase(rt.tenant);
  await applySeed(rt, seed);
  for (const [i, c] of rt.options.clients.entries()) await seedClient(rt.tenant, c, `clients[${i}]`);
}

/** Build the runtime: from a saved snapshot when there is one (no seeding: the file is the tenant), else seeded. */
export async function startRuntime(options: ResolvedOptions, parts: RuntimeParts, snapshot?: StateSnapshot): Promise<Runtime> {
  const { listenOrigins, ...engines } = parts;
  const keys = await createKeyRing(parts.clock, options.jwksGraceMs);
  const demoKey = await generateRsaKeyPair();
  const tenant: Tenant = {
    domain: options.domain,
    issuer: `https://${options.domain}/`,
    managementAudience: `https://${options.domain}/api/v2/`,
    clock: parts.clock,
    keys,
    state: createState(),
    apiSecret: snapshot?.apiSecret ?? options.apiSecret ?? randomAlnum(48),
    globalClientId: snapshot?.globalClientId ?? `global-${randomAlnum(24)}`,
    listenOrigins,
    narrowScopes: options.narrowScopes,
    tokenTtl: options.tokenTtl,
    jobSettings: { ...DEFAULT_JOB_SETTINGS, failures: [] },
    assertionJtis: new Map(),
    verifiedTokens: new Map(),
    writeLog: (entry) => writeLog(entry),
  };
  const writeLog = writeLogFn(() => tenant);
  const rt: Runtime = { ...engines, options, keys, tenant, demoKey, explorer: options.explorer };
  if (snapshot) tenant.state = snapshot.state;
  else await seedRuntime(rt, options.seed);
  return rt;
}
