/**
 * The bundle budgets, enforced (bench/src/bundle-budgets.ts): a Worker handler calling users.get, minified by
 * esbuild for Workers, on the whole client within its share of the official SDK's ManagementClient handler,
 * and on the per-resource entry (`@scopebound/management/resources/users`) within its share of the SDK's
 * smallest path (auth0/management + auth0/users); undici never inside, and the per-resource bundle holds the
 * users slice only. (Sizes are deterministic; bench/src/bundle.ts measures, bench/RESULTS.md records.)
 */
import { beforeAll, expect, test } from 'vitest';
import { measureBundles, type BundleSize } from '../../../bench/src/bundle';
import { BUNDLE_BUDGETS } from '../../../bench/src/bundle-budgets';

let sizes: Record<string, BundleSize> = {};
beforeAll(async () => {
  sizes = Object.fromEntries((await measureBundles()).map((s) => [s.id, s]));
}, 120_000);

test('no handler bundles undici (Node only)', () => {
  expect(Object.values(sizes).filter((s) => s.undici).map((s) => s.id)).toEqual([]);
  expect(Object.keys(sizes).sort()).toEqual(['auth0', 'auth0-users', 'scopebound', 'scopebound-users']);
});

test('the per-resource handler holds the users slice and not the whole table; the whole client holds the table', () => {
  const full = sizes.scopebound!;
  const slice = sizes['scopebound-users']!;
  expect(full.resources.length).toBeGreaterThan(40);
  // users, and blacklists for revokeToken's one operation.
  expect(slice.resources).toEqual(['blacklists', 'users']);
  expect(slice.tableBytes).toBeGreaterThan(0);
  expect(slice.tableBytes).toBeLessThan(full.tableBytes / 5);
  // The same runtime: apart from the table, the two bundles are the same size to within a few hundred bytes.
  expect(Math.abs(full.bytes - full.tableBytes - (slice.bytes - slice.tableBytes))).toBeLessThan(1024);
});

for (const b of BUNDLE_BUDGETS) {
  test(`${b.ours} ≤ ${b.max * 100} % of ${b.peer} (minified bytes)`, () => {
    expect(sizes[b.ours]!.bytes / sizes[b.peer]!.bytes).toBeLessThanOrEqual(b.max);
  });
}
