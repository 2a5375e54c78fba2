// @scopebound/emulator/msw: msw v2 handlers for an emulator (needs msw@2, an optional peer of the package).
export { mswHandlers } from './hosts/msw';
