/** The emulator's error classes: every error its API throws is one of them (a `ScopeboundError`). */
import { ScopeboundError } from '@scopebound/token';

/** Stable error codes thrown by the emulator's own API (HTTP answers use Auth0's bodies instead). */
export type EmulatorErrorCode =
  | 'ERR_EMULATOR_OPTION'
  | 'ERR_EMULATOR_SEED'
  | 'ERR_EMULATOR_CLOSED'
  | 'ERR_EMULATOR_LISTEN'
  | 'ERR_EMULATOR_MSW_MISSING'
  | 'ERR_EMULATOR_CONNECTION_DROPPED'
  | 'ERR_EMULATOR_ADMIN'
  | 'ERR_EMULATOR_API'
  | 'ERR_EMULATOR_STATE_SAVE'
  | 'ERR_EMULATOR_INTERNAL';

/** Base class of the emulator's errors (a `ScopeboundError`). */
export class EmulatorError extends ScopeboundError {
  static override readonly code: string = 'ERR_EMULATOR';
  declare readonly code: EmulatorErrorCode;
  constructor(code: EmulatorErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** An option given to `createEmulator` (or an admin call) is invalid; `option` names it. */
export class EmulatorOptionError extends EmulatorError {
  static override readonly code: string = 'ERR_EMULATOR_OPTION';
  readonly option: string;
  constructor(option: string, message: string) {
    super('ERR_EMULATOR_OPTION', `Invalid emulator option "${option}": ${message}`);
    this.option = option;
  }
}
