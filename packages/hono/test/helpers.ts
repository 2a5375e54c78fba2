/** Test helpers: emulated tenants with the demo clients, and the app over real HTTP (from the adapter testing kit). */
import * as emulatorModule from '@scopebound/emulator';
import { emulatorFixture } from '@scopebound/management/adapter/testing';

export const fixture = emulatorFixture(emulatorModule);
export const { demoPool, demoSecrets, emulator, traffic } = fixture;
export { expectNoSecrets, get, serve } from '@scopebound/management/adapter/testing';
