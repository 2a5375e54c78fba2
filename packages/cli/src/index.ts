// @scopebound/cli public surface
export {};
