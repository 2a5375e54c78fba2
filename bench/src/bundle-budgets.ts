/**
 * The bundle budgets: which Scopebound handler is held to which share of which official-SDK handler's bytes
 * (minified). test/runtimes/test/bundle-budget.test.ts enforces `max`; RESULTS.md shows both and the target.
 */
export interface BundleBudget {
  /** Scopebound's handler (an id of bench/src/bundle.ts's HANDLERS). */
  readonly ours: 'scopebound' | 'scopebound-users';
  /** The official SDK's handler it is measured against. */
  readonly peer: 'auth0' | 'auth0-users';
  /** The ratio CI enforces. */
  readonly max: number;
  /** The ratio the issue asks for, when CI does not (yet) enforce it. */
  readonly target?: number;
}

export const BUNDLE_BUDGETS: readonly BundleBudget[] = [
  // The whole client against the SDK's ManagementClient.
  { ours: 'scopebound', peer: 'auth0', max: 0.5 },
  // A users-only Worker against the SDK's smallest path (auth0/management + auth0/users): the 50 % target is
  // not reached (the runtime without any table is ~80 KB); CI holds the line where it is.
  { ours: 'scopebound-users', peer: 'auth0-users', max: 0.85, target: 0.5 },
];
