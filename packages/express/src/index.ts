// @scopebound/express public surface
export {};
