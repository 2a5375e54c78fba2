// @scopebound/koa public surface
export {};
