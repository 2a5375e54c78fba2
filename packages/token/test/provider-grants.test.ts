/** Per-credential grants of the provider: learning from a mint or a discovery record, and the pool's candidate order. */
import { describe, expect, it } from 'vitest';
import { clientSecret, type Credential } from '../src/index';
import { adoptDiscovery, candidatesFor, createCredentialStates, learnFromMint, noCovering, recordDenied, untriedAlternative } from '../src/provider/grants';
import { createL1Cache } from '../src/provider/l1-cache';

const credential = (clientId: string, grants?: string[]): Credential =>
  clientSecret({ clientId, clientSecret: `${clientId}-secret-value`, ...(grants ? { grants } : {}) });
const ids = (list: readonly { cred: Credential; alt: readonly string[] }[]) => list.map((c) => [c.cred.clientId, c.alt.join(' ')]);

describe('refused alternatives (access_denied)', () => {
  it('are never asked of the same credential again; a credential refused every alternative is left out', () => {
    const creds = [credential('a'), credential('b')];
    const states = createCredentialStates(creds);
    const l1 = createL1Cache();
    const alts = [['update:users_app_metadata'], ['update:users']];
    const v = l1.version;
    recordDenied(l1, states.get(creds[0]!)!, alts[0]!);
    expect(l1.version).toBeGreaterThan(v);
    expect(ids(candidatesFor(creds, states, alts))).toEqual([
      ['a', 'update:users'],
      ['b', 'update:users_app_metadata'],
    ]);
    expect(untriedAlternative(states.get(creds[0]!)!, alts, alts[1])).toBeUndefined();
    recordDenied(l1, states.get(creds[0]!)!, alts[1]!);
    expect(ids(candidatesFor(creds, states, alts))).toEqual([['b', 'update:users_app_metadata']]);
  });
});

describe('candidatesFor (pool order)', () => {
  it('known covering credentials first, fewest grants first, ties in pool order', () => {
    const creds = [
      credential('broad', ['read:logs', 'read:roles', 'read:users', 'update:users']),
      credential('reader', ['read:users']),
      credential('reader-too', ['read:users']),
      credential('pair', ['read:users', 'update:users']),
    ];
    const states = createCredentialStates(creds);
    expect(ids(candidatesFor(creds, states, [['read:users']]))).toEqual([
      ['reader', 'read:users'],
      ['reader-too', 'read:users'],
      ['pair', 'read:users'],
      ['broad', 'read:users'],
    ]);
  });

  it('each credential is asked for the first alternative it covers', () => {
    const creds = [credential('users', ['read:users']), credential('logs', ['read:logs'])];
    const states = createCredentialStates(creds);
    expect(ids(candidatesFor(creds, states, [['read:roles'], ['read:logs'], ['read:users']]))).toEqual([
      ['users', 'read:users'],
      ['logs', 'read:logs'],
    ]);
  });

  it('then unknown grants (asked for the preferred set), then learned grants that may be incomplete; whole known grants that do not cover are left out', () => {
    const creds = [credential('unknown-1'), credential('learned'), credential('whole', ['read:logs']), credential('unknown-2'), credential('covers', ['read:users', 'read:roles'])];
    const states = createCredentialStates(creds);
    const l1 = createL1Cache();
    // "learned" got exactly what it asked for (a narrowing tenant): its grant may be larger.
    learnFromMint(l1, states.get(creds[1]!)!, ['read:logs'], ['read:logs']);
    expect(ids(candidatesFor(creds, states, [['read:roles'], ['read:users']]))).toEqual([
      ['covers', 'read:roles'],
      ['unknown-1', 'read:roles'],
      ['unknown-2', 'read:roles'],
      ['learned', 'read:roles'],
    ]);
  });

  it('none: the pool error lists every credential with its grants or "unknown"', () => {
    const creds = [credential('a', ['read:logs']), credential('b')];
    const states = createCredentialStates(creds);
    learnFromMint(createL1Cache(), states.get(creds[1]!)!, ['read:users'], ['read:roles', 'read:users']);
    expect(candidatesFor(creds, states, [['delete:users']])).toEqual([]);
    const error = noCovering(creds, states, [['delete:users']]);
    expect(error.credentials).toEqual([
      { clientId: 'a', grants: ['read:logs'] },
      { clientId: 'b', grants: ['read:roles', 'read:users'] },
    ]);
  });
});

describe('learning grants', () => {
  it('a server granting more than asked gives the whole grant; one granting what was asked accumulates', () => {
    const [cred] = [credential('app')];
    const states = createCredentialStates([cred]);
    const state = states.get(cred)!;
    const l1 = createL1Cache();
    learnFromMint(l1, state, ['read:users'], ['read:users']);
    expect(state).toMatchObject({ grants: ['read:users'], authoritative: false, probed: true });
    learnFromMint(l1, state, ['read:roles'], ['read:roles']);
    expect(state).toMatchObject({ grants: ['read:roles', 'read:users'], authoritative: false });
    learnFromMint(l1, state, ['read:logs'], ['read:logs', 'read:users', 'update:users']);
    expect(state).toMatchObject({ grants: ['read:logs', 'read:users', 'update:users'], authoritative: true });
    expect([...state.grantsSet!]).toEqual(state.grants);
    expect(l1.version).toBe(3); // each learning invalidates fast paths
  });

  it('explicit grants are never replaced', () => {
    const cred = credential('app', ['read:users']);
    const state = createCredentialStates([cred]).get(cred)!;
    learnFromMint(createL1Cache(), state, ['read:users'], ['read:roles', 'read:users']);
    adoptDiscovery(createL1Cache(), state, { accessToken: 't', tokenType: 'Bearer', scopes: ['read:logs'], expiresAt: 1, mintedAt: 0, clientId: 'app' });
    expect(state).toMatchObject({ grants: ['read:users'], authoritative: true, probed: true });
  });

  it('a discovery record is adopted as the whole grant', () => {
    const cred = credential('app');
    const state = createCredentialStates([cred]).get(cred)!;
    const l1 = createL1Cache();
    adoptDiscovery(l1, state, { accessToken: 't', tokenType: 'Bearer', scopes: ['read:logs', 'read:users'], expiresAt: 1, mintedAt: 0, clientId: 'app' });
    expect(state).toMatchObject({ grants: ['read:logs', 'read:users'], authoritative: true, probed: true });
    expect(l1.version).toBe(1);
  });
});
