import { libraryConfig } from '../../tsup.shared';

export default libraryConfig({ index: 'src/index.ts', operations: 'src/operations.ts', 'adapter/index': 'src/adapter/index.ts' });
