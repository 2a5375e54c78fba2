// @scopebound/emulator public surface
export {};
