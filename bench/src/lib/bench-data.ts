/**
 * The `data` each benchmark stores in results/<name>.json: the one schema the benchmarks write and the
 * report reads, so neither imports the other's module.
 */
import type { Summary } from './stats';

// import.ts
export interface ImportData {
  rounds: number;
  probes: { id: string; label: string; total: Summary; import: Summary; construct: Summary; process: Summary; rssMiB: Summary }[];
  /** Per-round ratio scopebound/auth0 of import + construct. */
  ratio: Summary;
  ratioCjs: Summary;
  ratioSubpath: Summary;
}

// overhead.ts
export interface OverheadData {
  rounds: number;
  measureMs: number;
  warmupMs: number;
  levels: {
    concurrency: number;
    contenders: { id: string; label: string; rps: Summary; cpuUsPerCall: Summary; errors: number; firstError?: string }[];
    /** Per-round (undici rps / contender rps − 1): the extra time per call over raw undici. */
    overheadVsUndici: Record<string, Summary>;
  }[];
  serverStats: unknown;
}

// token-cache.ts
export interface TokenCacheData {
  rounds: number;
  measureMs: number;
  contenders: { id: string; label: string; callsPerSec: Summary; nsPerCall: number; errors: number }[];
  /** Per-round Scopebound (plain) calls/s ÷ auth0 calls/s. */
  ratioVsAuth0: Summary;
  mints: number;
}

// stampede.ts
export interface StampedeRun {
  mints: number;
  grantedSets: number;
  apiCalls: number;
  ok: number;
  failed: number;
  firstError?: string;
  elapsedMs: number;
}

export interface StampedeData {
  total: number;
  scopeSets: number;
  mintDelayMs: number;
  rounds: number;
  scenarios: { id: string; label: string; processes: number; grant: string; target?: number; runs: StampedeRun[]; mints: Summary; elapsedMs: Summary }[];
}

// rate-limit.ts
export interface RateLimitRun {
  elapsedMs: number;
  ok: number;
  failed: number;
  firstError?: string;
  status429: number;
  apiRequests: number;
  tokenRequests: number;
}

export interface RateLimitData {
  calls: number;
  concurrency: number;
  burst: number;
  rps: number;
  theoreticalMinMs: number;
  rounds: number;
  contenders: { id: string; label: string; runs: RateLimitRun[]; elapsedMs: Summary; overMin: Summary; status429: Summary; failed: Summary }[];
}

// emulator.ts
export interface EmulatorData {
  rounds: number;
  measureMs: number;
  bodyBytes: number;
  levels: { concurrency: number; servers: { id: string; label: string; rps: Summary; errors: number; firstError?: string }[]; ratio: Summary }[];
}

// footprint.ts
export interface Footprint {
  id: string;
  label: string;
  install: string[];
  bytes: number;
  diskKiB: number;
  files: number;
  packages: number;
  packageNames: string[];
  /** Bytes per top-level package directory (nested node_modules included). */
  packageBytes: Record<string, number>;
  tarballBytes?: number;
  installMs: number;
}

/** One published package's tarball: packed bytes (what the registry stores) and unpacked bytes (what lands on disk). */
export interface TarballSize {
  name: string;
  packedBytes: number;
  unpackedBytes: number;
  files: number;
}

export interface FootprintData {
  npm: string;
  contenders: Footprint[];
  /** Every published Scopebound package (`pnpm pack`, publishConfig applied) and the `auth0` tarball (`npm pack`). */
  tarballs?: TarballSize[];
}

// fleet-rate-limit.ts
export interface FleetRun {
  elapsedMs: number;
  theoreticalMinMs: number;
  ok: number;
  failed: number;
  status429: number;
  apiRequests: number;
  tokenRequests: number;
  firstError?: string;
}

export interface FleetData {
  burst: number;
  rps: number;
  concurrency: number;
  rounds: number;
  fleets: {
    processes: number;
    perProcess: number;
    contenders: { id: string; label: string; runs: FleetRun[]; ratio: Summary; status429: Summary }[];
  }[];
}

// types.ts
export interface TypesContender {
  id: string;
  label: string;
  checkMs: Summary;
  totalMs: Summary;
  memoryMiB: Summary;
  types: number;
  hoverColdMs: Summary;
  hoverAfterEditMs: Summary;
  /** What the hover showed (first 400 characters): the signature and its doc comment. */
  hoverDisplay: string;
  hoverDocs: string;
}

export interface TypesData {
  rounds: number;
  edits: number;
  contenders: TypesContender[];
}
