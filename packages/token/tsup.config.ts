import { libraryConfig } from '../../tsup.shared';

export default libraryConfig(
  {
    index: 'src/index.ts',
    testing: 'src/testing/store-contract.ts',
    'http/index': 'src/http/index.ts',
    'diagnostics/index': 'src/diagnostics/index.ts',
    // #diagnostics-channel: chosen by the consumer's export conditions (node:diagnostics_channel on Node, silent elsewhere).
    'diagnostics/node': 'src/diagnostics/node.ts',
    'diagnostics/none': 'src/diagnostics/none.ts',
  },
  { external: ['vitest', '#diagnostics-channel'] },
);
