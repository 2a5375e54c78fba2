// @scopebound/emulator public surface
export { createEmulator, type Emulator } from './emulator';
export type { EmulatorOptions, ExplorerHandler } from './options';
export { DEFAULT_DOMAIN } from './options';
export { EmulatorError, EmulatorOptionError, type EmulatorErrorCode } from './errors';
export type { EmulatorAdmin, MintTokenOptions, SigningKeyInfo, DemoPrivateKey } from './admin';
export { ADMIN_ROUTES } from './admin';
export type { Journal, JournalEntry, JournalFilter } from './journal';
export type { FaultRule, FaultMatch } from './faults';
export { RATE_LIMIT_PRESETS, type BucketSpec, type RateLimitConfig, type RateLimitOption } from './rate-limit';
export type { QuotaLimits } from './quota';
export type { Clock } from './clock';
export type { HandleContext } from './core';
export type { ListenOptions, RunningServer } from './hosts/node';
export type { FetchLike } from './hosts/fetch';
export {
  DEMO_CLIENTS,
  DEMO_IDS,
  DEMO_API,
  DEFAULT_CONNECTION,
  SERVER_SCOPES,
  type ClientConfig,
  type DemoClient,
  type SeedData,
} from './seed';
export { STATEFUL_OPERATIONS } from './api';
export * from './explorer/index';
