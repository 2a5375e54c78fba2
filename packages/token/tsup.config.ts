import { libraryConfig } from '../../tsup.shared';

export default libraryConfig(
  { index: 'src/index.ts', testing: 'src/testing/store-contract.ts', 'http/index': 'src/http/index.ts' },
  { external: ['vitest'] },
);
