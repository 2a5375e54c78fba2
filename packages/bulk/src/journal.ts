/** The journal file: append-only JSON lines, group-committed (one fsync per batch), read back tolerating a torn tail. */
import { existsSync, readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { JournalCorruptError } from './errors';

/** One journal line. `n` is the call's 1-based position in the input, `h` its fingerprint (`callHash`). */
export type JournalEntry =
  | { t: 'run'; v: 1; at: string }
  | { t: 'send'; n: number; h: string; op: string; line?: number }
  | { t: 'ok'; n: number; status?: number }
  | { t: 'fail'; n: number; code: string; message: string; status?: number; ambiguous?: boolean };

function isEntry(v: unknown): v is JournalEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  if (e.t === 'run') return true;
  if (typeof e.n !== 'number') return false;
  if (e.t === 'send') return typeof e.h === 'string' && typeof e.op === 'string';
  return e.t === 'ok' || (e.t === 'fail' && typeof e.code === 'string');
}

/**
 * Every entry of a journal file ([] when there is none). A line cut short by a crash (the last line, or a line
 * just before the next run's header) is ignored; any other bad line is `JournalCorruptError`.
 */
export function readJournal(path: string): JournalEntry[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  const out: JournalEntry[] = [];
  lines.forEach((text, i) => {
    if (text === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (isEntry(value)) out.push(value);
    else {
      const next = lines.slice(i + 1).find((l) => l !== '');
      const torn = next === undefined || next.startsWith('{"t":"run"');
      if (!torn) throw new JournalCorruptError(path, i + 1);
    }
  });
  return out;
}

/** Appends entries; `durable` resolves once its entry is on disk. Entries queued together share one fsync. */
export class JournalWriter {
  readonly #file: FileHandle;
  #pending: string[] = [];
  #waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  #flushing: Promise<void> | undefined;
  #failure: unknown;

  private constructor(file: FileHandle) {
    this.#file = file;
  }

  /** Open (or create) the journal for appending; a torn last line is closed off with a newline first. */
  static async open(path: string): Promise<JournalWriter> {
    const tail = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const file = await open(path, 'a', 0o600);
    const writer = new JournalWriter(file);
    if (tail !== '' && !tail.endsWith('\n')) writer.#pending.push('\n');
    writer.append({ t: 'run', v: 1, at: new Date().toISOString() });
    return writer;
  }

  /** Queue an entry; it reaches the disk with the next batch. */
  append(entry: JournalEntry): void {
    if (this.#failure) throw this.#failure;
    this.#pending.push(`${JSON.stringify(entry)}\n`);
    this.#kick();
  }

  /** Queue an entry and resolve when it has been fsynced. */
  durable(entry: JournalEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.append(entry);
    });
  }

  /** Resolve when everything queued so far is on disk. */
  async flush(): Promise<void> {
    this.#kick();
    while (this.#flushing) await this.#flushing;
    if (this.#failure) throw this.#failure;
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.#file.close();
    }
  }

  #kick(): void {
    if (this.#flushing || this.#pending.length === 0) return;
    this.#flushing = this.#drain().finally(() => {
      this.#flushing = undefined;
    });
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const text = this.#pending.splice(0).join('');
      const waiters = this.#waiters.splice(0);
      try {
        await this.#file.write(text);
        await this.#file.datasync();
        for (const w of waiters) w.resolve();
      } catch (error) {
        this.#failure = error;
        for (const w of [...waiters, ...this.#waiters.splice(0)]) w.reject(error);
        return;
      }
    }
  }
}
