// @scopebound/redis public surface
export {};
