import { defineConfig } from 'tsup';

export default defineConfig({
  // Two entry points share one copy of every module (error classes must be the same class for instanceof),
  // so code splitting is on for CJS too.
  entry: { index: 'src/index.ts', 'adapter/index': 'src/adapter/index.ts' },
  format: ['esm', 'cjs'],
  splitting: true,
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
