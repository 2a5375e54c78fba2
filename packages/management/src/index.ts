// @scopebound/management public surface
export {};
