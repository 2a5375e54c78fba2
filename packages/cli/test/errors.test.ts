/** The CLI's one error class is a ScopeboundError with a stable code, and bad command lines throw it. */
import { ScopeboundError } from '@scopebound/token';
import { describe, expect, it } from 'vitest';
import { CliUsageError, findOperation } from '../src/index';

describe('CliUsageError', () => {
  it('is a ScopeboundError whose instance code is the class code', () => {
    const error = new CliUsageError('--port must be a number');
    expect(error).toBeInstanceOf(ScopeboundError);
    expect(error).toBeInstanceOf(CliUsageError);
    expect(CliUsageError.code).toBe(error.code);
    expect(error.code).toBe('ERR_CLI_USAGE');
    expect(error.name).toBe('CliUsageError');
  });

  it('is what an unknown operation throws', () => {
    let thrown: unknown;
    try {
      findOperation('users.nope');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ScopeboundError);
    expect(thrown).toMatchObject({ code: CliUsageError.code });
  });
});
