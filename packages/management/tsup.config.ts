import { libraryConfig } from '../../tsup.shared';

export default libraryConfig(
  {
    index: 'src/index.ts',
    operations: 'src/operations.ts',
    'usage/index': 'src/usage/index.ts',
    'adapter/index': 'src/adapter/index.ts',
    'adapter/testing': 'src/adapter/testing/index.ts',
    // #default-transport: chosen by the consumer's export conditions (undici on Node, fetch elsewhere).
    'default-transport/node': 'src/default-transport/node.ts',
    'default-transport/web': 'src/default-transport/web.ts',
    'default-transport/no-undici': 'src/default-transport/no-undici.ts',
  },
  // The conformance suite runs under the adapter's own vitest (an optional peer dependency).
  { external: ['vitest', '#default-transport', '#undici'] },
);
