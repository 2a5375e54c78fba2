// The explorer page: operations with their scopes, token generator, decoder, try-it.
export { createExplorer, type Explorer, type ExplorerOptions } from './explorer';
export type { TenantTarget, TokenSourceInfo, MintOutcome } from './backend';
export type { OperationView } from './operations-view';
export type { TryResult, ScopeCheck } from './try-call';
