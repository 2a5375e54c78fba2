// The one tsup configuration every package builds with: ESM + CJS + .d.ts, one copy of every
// module shared by a package's entry points (error classes stay the same class for instanceof, in CJS too).
import { defineConfig, type Options } from 'tsup';

export function libraryConfig(entry: Options['entry'], extra: Omit<Options, 'entry'> = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    splitting: true,
    dts: true,
    clean: true,
    // No source maps: they would point at `src/`, which is not published; the emitted modules are unminified.
    sourcemap: false,
    target: 'node20',
    ...extra,
  });
}
