import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '@scopebound/token';
import { describeStoreContract } from '@scopebound/token/testing';

// Any TokenStore must pass this suite (the Redis store runs it against a real Redis).
describeStoreContract(
  { name: 'my store', create: () => memoryStore({ max: 100 }) },
  { describe, it, expect, afterEach },
);
