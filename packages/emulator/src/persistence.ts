/**
 * `stateFile`: the tenant loaded from a file at start and saved to it atomically (a temp file beside it,
 * fsync, rename) a moment after each change and on close or process exit. A file that is not a state file
 * is refused with `EmulatorOptionError` and never overwritten.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { EmulatorAdmin } from './admin';
import { EmulatorError, EmulatorOptionError } from './errors';
import { decodeSnapshot, encodeSnapshot, type StateSnapshot } from './state-codec';
import type { Tenant } from './tenant';

export const SAVE_DEBOUNCE_MS = 200;

/** Read `path` (undefined when there is no file yet); throws `EmulatorOptionError` for anything unreadable. */
export function loadStateFile(path: string, domain: string): StateSnapshot | undefined {
  if (!existsSync(path)) return undefined;
  let snapshot: StateSnapshot;
  try {
    snapshot = decodeSnapshot(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new EmulatorOptionError('stateFile', `${path} is not a usable emulator state file: ${(error as Error).message}. Fix it or point stateFile elsewhere; it is left untouched.`);
  }
  if (snapshot.domain !== domain) {
    throw new EmulatorOptionError('stateFile', `${path} holds the tenant ${snapshot.domain}, not ${domain}: use domain "${snapshot.domain}" or another state file.`);
  }
  return snapshot;
}

/** Write `text` to `path` atomically: a temp file in the same directory, fsync, rename over the target. */
export function writeAtomically(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export interface StateSaver {
  /** Something changed: save soon (debounced). */
  changed(): void;
  /** Save now if anything is pending, and stop. */
  close(): void;
}

export function createStateSaver(path: string, tenant: () => Tenant | undefined, onError: (error: Error) => void): StateSaver {
  let timer: NodeJS.Timeout | undefined;
  let pending = false;
  let closed = false;
  const save = () => {
    timer = undefined;
    const t = tenant();
    if (!pending || !t) return;
    pending = false;
    try {
      writeAtomically(path, encodeSnapshot({ domain: t.domain, apiSecret: t.apiSecret, globalClientId: t.globalClientId, state: t.state }));
    } catch (error) {
      onError(error as Error);
    }
  };
  const onExit = () => save();
  process.once('exit', onExit);
  return {
    changed() {
      if (closed) return;
      pending = true;
      timer ??= setTimeout(save, SAVE_DEBOUNCE_MS);
      timer.unref?.();
    },
    close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      save();
      process.removeListener('exit', onExit);
    },
  };
}

/** A failed background save: a process warning (the emulator keeps answering; the file keeps its last good state). */
export function warnSaveFailed(error: Error): void {
  process.emitWarning(new EmulatorError('ERR_EMULATOR_STATE_SAVE', `Could not save the emulator state: ${error.message}. Check the state file's directory is writable.`, { cause: error }));
}

/** The admin API, each call followed by `changed()` (admin calls reseed, rotate secrets, add faults...). */
export function notifyingAdmin(admin: EmulatorAdmin, changed: () => void): EmulatorAdmin {
  const out: Record<string, unknown> = { ...admin };
  for (const [name, fn] of Object.entries(admin)) {
    if (typeof fn !== 'function') continue;
    out[name] = async (...args: unknown[]) => {
      const result: unknown = await (fn as (...a: unknown[]) => unknown).apply(admin, args);
      changed();
      return result;
    };
  }
  return out as unknown as EmulatorAdmin;
}
