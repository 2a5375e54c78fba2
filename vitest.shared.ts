import { defineConfig } from 'vitest/config';

/** Shared test settings: resolve workspace packages to their TypeScript sources (no build needed). */
export default defineConfig({
  resolve: { conditions: ['@scopebound/source'] },
  ssr: { resolve: { conditions: ['@scopebound/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
  },
});
