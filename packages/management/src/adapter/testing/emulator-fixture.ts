/**
 * Emulated tenants for the conformance suite, from the `@scopebound/emulator` module the caller passes in
 * (the emulator depends on this package, so it is handed over rather than imported). Types are structural.
 */
import { clientSecret, type Credential } from '@scopebound/token';

/** The part of an emulated tenant the suite uses. */
export interface ConformanceTenant {
  readonly domain: string;
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  close(): Promise<void>;
  readonly journal: {
    list(): readonly { readonly path: string; readonly status: number }[];
    /** Tokens minted per client id. */
    mints(): Record<string, number>;
  };
  readonly admin: {
    addFault(rule: { match: { operation: string }; times: number; status: number; headers?: Record<string, string>; body?: unknown }): Promise<unknown>;
    mintToken(options: { sub: string; scope: string | string[] }): Promise<string>;
  };
}

interface DemoClient {
  readonly key: string;
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
  readonly scopes: readonly string[];
}

/** What the suite needs of `@scopebound/emulator`: `import * as emulatorModule from '@scopebound/emulator'`. */
export interface EmulatorModule {
  createEmulator(options: {
    domain: string;
    seed: 'demo' | false;
    narrowScopes: boolean;
    clients?: { clientId: string; clientSecret: string; grants: string[] }[];
  }): ConformanceTenant;
  readonly DEMO_CLIENTS: readonly DemoClient[];
  readonly DEMO_IDS: { readonly firstUser: string };
}

export interface EmulatorFixture {
  /** An emulated tenant. `seed: false` keeps only the demo clients (no users, roles, …). */
  emulator(domain?: string, options?: { seed?: 'demo' | false; narrowScopes?: boolean }): ConformanceTenant;
  /** Client-secret credentials of the demo clients (a pool: the least privileged covering one is used). */
  demoPool(keys?: readonly string[]): Credential[];
  /** One demo client's credential without its grants declared (the tenant decides what it gets). */
  demoCredential(key: string): Credential;
  demoSecrets(): string[];
  /** Token requests and API calls the tenant saw. */
  traffic(emu: ConformanceTenant): { mints: number; api: number; total: number };
  readonly ids: { readonly firstUser: string };
}

export function emulatorFixture(mod: EmulatorModule): EmulatorFixture {
  const withSecret = () => mod.DEMO_CLIENTS.filter((c) => c.clientSecret !== undefined);
  return {
    emulator(domain = 'tenant-a.scopebound.test', options = {}) {
      const seed = options.seed ?? 'demo';
      return mod.createEmulator({
        domain,
        seed,
        narrowScopes: options.narrowScopes ?? true,
        ...(seed === false ? { clients: withSecret().map((c) => ({ clientId: c.clientId, clientSecret: c.clientSecret as string, grants: [...c.scopes] })) } : {}),
      });
    },
    demoPool: (keys) =>
      withSecret()
        .filter((c) => !keys || keys.includes(c.key))
        .map((c) => clientSecret({ clientId: c.clientId, clientSecret: c.clientSecret as string, grants: c.scopes })),
    demoCredential(key) {
      const c = withSecret().find((d) => d.key === key);
      if (!c) throw new Error(`No demo client with a secret has key ${key}.`);
      return clientSecret({ clientId: c.clientId, clientSecret: c.clientSecret as string });
    },
    demoSecrets: () => withSecret().map((c) => c.clientSecret as string),
    traffic(emu) {
      const all = emu.journal.list();
      return {
        mints: all.filter((e) => e.path === '/oauth/token').length,
        api: all.filter((e) => e.path.startsWith('/api/v2')).length,
        total: all.length,
      };
    },
    ids: mod.DEMO_IDS,
  };
}
