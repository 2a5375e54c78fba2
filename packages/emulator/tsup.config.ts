import { libraryConfig } from '../../tsup.shared';

// `msw`: the msw handlers' own entry (its types import msw, an optional peer; the main entry's never do).
export default libraryConfig({ index: 'src/index.ts', msw: 'src/msw.ts' }, { external: ['msw'] });
