import { readdirSync } from 'node:fs';
import { libraryConfig } from '../../tsup.shared';

// `@scopebound/management/resources/<resource>`: one entry per generated slice (scripts/lib/slices.ts).
const resources = Object.fromEntries(
  readdirSync(new URL('./src/generated/resources', import.meta.url))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [`resources/${f.slice(0, -3)}`, `src/generated/resources/${f}`]),
);

export default libraryConfig(
  {
    index: 'src/index.ts',
    operations: 'src/operations.ts',
    'usage/index': 'src/usage/index.ts',
    'adapter/index': 'src/adapter/index.ts',
    'adapter/testing': 'src/adapter/testing/index.ts',
    ...resources,
    // #default-transport: chosen by the consumer's export conditions (undici on Node, fetch elsewhere).
    'default-transport/node': 'src/default-transport/node.ts',
    'default-transport/web': 'src/default-transport/web.ts',
    'default-transport/no-undici': 'src/default-transport/no-undici.ts',
  },
  // The conformance suite runs under the adapter's own vitest (an optional peer dependency). No source maps in
  // the published package: they were 1.2 MB of its 6.4 MB (the generated table twice), and stack traces name
  // readable, unminified modules anyway. Declarations: see scripts/share-declarations.ts (run after tsup).
  { external: ['vitest', '#default-transport', '#undici'], sourcemap: false },
);
