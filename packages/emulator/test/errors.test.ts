/** Every error class the emulator exports (and the internal ones that can reach a caller) is a ScopeboundError with a stable code. */
import { ScopeboundError } from '@scopebound/token';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '../src/clock';
import { ApiProblem } from '../src/http';
import { createEmulator, EmulatorError, EmulatorOptionError } from '../src/index';
import { validate } from '../src/validate';

describe('error classes', () => {
  it.each([
    ['EmulatorOptionError', EmulatorOptionError, () => new EmulatorOptionError('domain', 'use a bare host name')],
    ['ApiProblem (internal, reaches callers through seeding)', ApiProblem, () => new ApiProblem(409, 'The client already exists', 'conflict')],
  ] as const)('%s is a ScopeboundError whose instance code is the class code', (_name, Class, make) => {
    const error = make();
    expect(error).toBeInstanceOf(ScopeboundError);
    expect(error).toBeInstanceOf(EmulatorError);
    expect(error).toBeInstanceOf(Class);
    expect(Class.code).toBe(error.code);
    expect(error.name).toBe(Class.name);
  });

  it('EmulatorError is the family: a ScopeboundError whose instances carry ERR_EMULATOR_* codes', () => {
    const error = new EmulatorError('ERR_EMULATOR_SEED', 'not seeded');
    expect(error).toBeInstanceOf(ScopeboundError);
    expect(EmulatorError.code).toBe('ERR_EMULATOR');
    expect(error.code).toBe('ERR_EMULATOR_SEED');
    expect(error.code.startsWith(`${EmulatorError.code}_`)).toBe(true);
  });

  it('ApiProblem keeps what the Management API would answer', () => {
    const error = new ApiProblem(400, 'Payload validation error', 'invalid_body');
    expect(error).toMatchObject({ code: 'ERR_EMULATOR_API', status: 400, errorCode: 'invalid_body', message: 'Payload validation error' });
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
