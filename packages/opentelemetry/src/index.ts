// @scopebound/opentelemetry public surface
export { instrumentScopebound, type InstrumentOptions } from './instrument';
export { type TokenSource } from './attributes';
