// @scopebound/emulator public surface: what README.md documents, and the types those signatures name.
export { createEmulator, type Emulator } from './emulator';
export type { EmulatorOptions, ExplorerHandler } from './options';
export { EmulatorError, EmulatorOptionError, type EmulatorErrorCode } from './errors';
export type { EmulatorAdmin, MintTokenOptions, SigningKeyInfo, DemoPrivateKey } from './admin';
export { ADMIN_ROUTES } from './admin-http';
export type { Journal, JournalEntry, JournalFilter } from './journal';
export type { FaultRule, FaultMatch } from './faults';
export type { BucketSpec, RateLimitConfig, RateLimitOption } from './rate-limit';
export type { QuotaLimits } from './quota';
export type { Clock } from './clock';
export type { HandleContext } from './handle-context';
export type { ListenOptions, RunningServer } from './hosts/node';
export type { FetchLike } from './hosts/fetch';
export { DEMO_CLIENTS, DEMO_IDS, type ClientConfig, type DemoClient, type PublicJwk, type SeedData } from './seed';
export { STATEFUL_OPERATIONS } from './api';
export { createExplorer, type Explorer, type ExplorerOptions } from './explorer/explorer';
export type { TenantTarget } from './explorer/backend';
