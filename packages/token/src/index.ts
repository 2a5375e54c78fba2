// @scopebound/token public surface
export {};
