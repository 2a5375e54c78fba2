/** Stable error codes thrown by the emulator's own API (HTTP answers use Auth0's bodies instead). */
export type EmulatorErrorCode =
  | 'ERR_EMULATOR_OPTION'
  | 'ERR_EMULATOR_SEED'
  | 'ERR_EMULATOR_CLOSED'
  | 'ERR_EMULATOR_LISTEN'
  | 'ERR_EMULATOR_MSW_MISSING'
  | 'ERR_EMULATOR_CONNECTION_DROPPED'
  | 'ERR_EMULATOR_ADMIN';

export class EmulatorError extends Error {
  readonly code: EmulatorErrorCode;
  constructor(code: EmulatorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmulatorError';
    this.code = code;
  }
}

/** An option given to `createEmulator` (or an admin call) is invalid; `option` names it. */
export class EmulatorOptionError extends EmulatorError {
  readonly option: string;
  constructor(option: string, message: string) {
    super('ERR_EMULATOR_OPTION', `Invalid emulator option "${option}": ${message}`);
    this.name = 'EmulatorOptionError';
    this.option = option;
  }
}
