import { libraryConfig } from '../../tsup.shared';

export default libraryConfig(
  {
    index: 'src/index.ts',
    operations: 'src/operations.ts',
    'usage/index': 'src/usage/index.ts',
    'adapter/index': 'src/adapter/index.ts',
    'adapter/testing': 'src/adapter/testing/index.ts',
  },
  // The conformance suite runs under the adapter's own vitest (an optional peer dependency).
  { external: ['vitest'] },
);
