/** Every error class the emulator exports (and the internal ones that can reach a caller) is a ScopeboundError with a stable code. */
import { ScopeboundError } from '@scopebound/token';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../src/clock';
import { ApiProblem } from '../src/http';
import { createEmulator, EmulatorError, EmulatorOptionError } from '../src/index';
import { validate } from '../src/validate';

describe('error classes', () => {
  it('EmulatorOptionError: a ScopeboundError whose instance code is the class code, naming the option', () => {
    const error = new EmulatorOptionError('domain', 'use a bare host name');
    expect([error instanceof ScopeboundError, error instanceof EmulatorError, error.name]).toEqual([true, true, 'EmulatorOptionError']);
    expect({ code: error.code, option: error.option }).toEqual({ code: EmulatorOptionError.code, option: 'domain' });
  });

  it('ApiProblem (internal, reaches callers through seeding): a ScopeboundError whose instance code is the class code', () => {
    const error = new ApiProblem(409, 'The client already exists', 'conflict');
    expect([error instanceof ScopeboundError, error instanceof EmulatorError, error.name]).toEqual([true, true, 'ApiProblem']);
    expect({ code: error.code, status: error.status, errorCode: error.errorCode }).toEqual({ code: ApiProblem.code, status: 409, errorCode: 'conflict' });
  });

  it('EmulatorError is the family: a ScopeboundError whose instances carry ERR_EMULATOR_* codes', () => {
    const error = new EmulatorError('ERR_EMULATOR_SEED', 'not seeded');
    expect(error).toBeInstanceOf(ScopeboundError);
    expect(EmulatorError.code).toBe('ERR_EMULATOR');
    expect(error.code).toBe('ERR_EMULATOR_SEED');
    expect(error.code.startsWith(`${EmulatorError.code}_`)).toBe(true);
  });
});

describe('throw sites that used plain errors', () => {
  it('the virtual clock refuses to go backwards with EmulatorOptionError', () => {
    const clock = createVirtualClock({ now: () => 0 });
    expect(() => clock.advance(-1)).toThrow(EmulatorOptionError);
    expect(() => clock.advance(Number.NaN)).toThrow(expect.objectContaining({ code: 'ERR_EMULATOR_OPTION', option: 'ms' }));
  });

  it('an unknown $ref in the validation table is an EmulatorError (ERR_EMULATOR_INTERNAL)', () => {
    let thrown: unknown;
    try {
      validate({ $ref: 'Nope' }, {}, {});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ScopeboundError);
    expect(thrown).toMatchObject({ code: 'ERR_EMULATOR_INTERNAL' });
  });

  it('a seed the Management API would refuse rejects ready() with a ScopeboundError (ApiProblem)', async () => {
    const em = createEmulator({ clients: [{ clientId: 'bad-key', publicKey: 'not a PEM public key' }], explorer: false });
    try {
      const failure = await em.ready().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ScopeboundError);
      expect(failure).toMatchObject({ code: 'ERR_EMULATOR_API', status: 400 });
    } finally {
      await em.close();
    }
  });
});
