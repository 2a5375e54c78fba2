import { mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// Type tests compile as a strict consumer does (exactOptionalPropertyTypes): see tsconfig.typecheck.json.
export default mergeConfig(shared, { test: { typecheck: { tsconfig: './tsconfig.typecheck.json' } } });
