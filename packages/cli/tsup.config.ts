import { libraryConfig } from '../../tsup.shared';

export default libraryConfig(['src/index.ts', 'src/cli.ts'], { dts: { entry: 'src/index.ts' } });
