/**
 * @scopebound/management/adapter/testing: the conformance suite a Scopebound framework adapter must pass
 * (vitest, over real HTTP against the emulator), and its helpers.
 *
 *   import * as emulatorModule from '@scopebound/emulator';
 *   import { describeAdapterConformance, emulatorFixture } from '@scopebound/management/adapter/testing';
 *   describeAdapterConformance({ versions: [['Express 5', express]], buildApp, holder: 'req', fixture: emulatorFixture(emulatorModule) });
 */
export { describeAdapterConformance, type BuiltApp, type ConformanceOptions } from './conformance';
export { emulatorFixture, type ConformanceTenant, type EmulatorFixture, type EmulatorModule } from './emulator-fixture';
export { expectNoSecrets, get, serve, type Got, type Served } from './http';
