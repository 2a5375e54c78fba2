// @scopebound/management/usage: recording which operations and scopes a service uses (the start of the
// record → plan → apply → audit loop of `scopebound grants`). Node only (usage files live on disk).
export { createUsageRecorder } from './recorder';
export type { UsageEvent, UsageRecorder } from './recorder';
export { emptyUsage, mergeUsage, parseUsage, usageKey, USAGE_FORMAT, USAGE_VERSION } from './usage-data';
export type { UsageCall, UsageData } from './usage-data';
export { readUsageFile, writeFileAtomic, writeUsageFile } from './usage-file';
