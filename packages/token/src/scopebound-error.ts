/**
 * `ScopeboundError`: the one root of every error a Scopebound package throws. Each class has a stable `code`
 * (as a static on the class and on every instance, jose-style), so callers branch on `code` or `instanceof`,
 * never on a message. `toJSON` and `util.inspect` show only the error's own safe fields (never `cause`,
 * `stack` or response headers).
 */

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** Fields that are never serialised: chains and raw HTTP material are for debugging in-process only. */
const UNSERIALISED = new Set(['cause', 'stack', 'headers']);

export class ScopeboundError extends Error {
  /** The code every instance of exactly this class carries (subclasses override it). */
  static readonly code: string = 'ERR_SCOPEBOUND';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }

  /** Only safe, non-secret fields. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (!UNSERIALISED.has(key)) out[key] = value;
    }
    return out;
  }

  [inspectSymbol](): string {
    return `${this.name} [${this.code}]: ${this.message}\n${JSON.stringify(this.toJSON(), null, 2)}`;
  }
}

/** True for any error thrown by a Scopebound package (also across duplicated installs, by shape). */
export function isScopeboundError(value: unknown): value is ScopeboundError {
  return value instanceof ScopeboundError;
}
