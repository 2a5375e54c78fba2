/**
 * Child processes with an IPC request/response channel. Servers under test and load workers run in their own
 * process so they never share an event loop with the client being measured.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { BENCH_DIR, SRC_DIR } from './paths';

export interface Child {
  readonly process: ChildProcess;
  /** The payload of the child's first `{type: 'ready'}` message. */
  readonly ready: Record<string, unknown>;
  request<T = unknown>(command: string, args?: unknown, timeoutMs?: number): Promise<T>;
  /** Wait for the next message of this type (e.g. a worker's `done`). */
  next<T = unknown>(type: string, timeoutMs: number): Promise<T>;
  stop(): Promise<void>;
}

interface Message {
  type: string;
  id?: number;
  ok?: boolean;
  value?: unknown;
  error?: string;
  [k: string]: unknown;
}

/** Start `src/<file>` (TypeScript, through tsx) and wait for its `ready` message. */
export async function startChild(file: string, args: readonly string[] = [], timeoutMs = 30_000): Promise<Child> {
  const child = fork(path.join(SRC_DIR, file), [...args], {
    cwd: BENCH_DIR,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seq = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  const waiters: { type: string; resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  const queued: Message[] = [];

  child.on('message', (raw) => {
    const msg = raw as Message;
    if (msg.type === 'response' && msg.id !== undefined) {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new Error(`${file}: ${msg.error ?? 'request failed'}`));
      return;
    }
    const i = waiters.findIndex((w) => w.type === msg.type);
    if (i >= 0) {
      const [w] = waiters.splice(i, 1);
      clearTimeout(w!.timer);
      w!.resolve(msg);
    } else queued.push(msg);
  });
  child.on('exit', (code) => {
    const err = new Error(`${file} exited (code ${code})`);
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    pending.clear();
    for (const w of waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  });

  function next<T>(type: string, ms: number): Promise<T> {
    const i = queued.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(queued.splice(i, 1)[0] as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const j = waiters.findIndex((w) => w.timer === timer);
        if (j >= 0) waiters.splice(j, 1);
        reject(new Error(`${file}: no '${type}' message within ${ms} ms`));
      }, ms);
      waiters.push({ type, resolve: resolve as (v: unknown) => void, reject, timer });
    });
  }

  let ready: Record<string, unknown>;
  try {
    ready = await next<Record<string, unknown>>('ready', timeoutMs);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }

  return {
    process: child,
    ready,
    next,
    request<T>(command: string, args?: unknown, ms = 120_000): Promise<T> {
      const id = ++seq;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${file}: '${command}' took longer than ${ms} ms`));
        }, ms);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        child.send({ type: 'request', id, command, args });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** In a child: answer requests from the parent with `handlers[command](args)`. */
export function serveParent(handlers: Record<string, (args: any) => unknown>): void {
  process.on('message', (raw) => {
    const msg = raw as Message;
    if (msg.type !== 'request' || msg.id === undefined) return;
    const handler = handlers[String(msg.command)];
    const reply = (payload: Partial<Message>) => process.send?.({ type: 'response', id: msg.id, ...payload });
    if (!handler) {
      reply({ ok: false, error: `unknown command ${String(msg.command)}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(msg.args))
      .then(
        (value) => reply({ ok: true, value }),
        (err: unknown) => reply({ ok: false, error: err instanceof Error ? err.message : String(err) }),
      );
  });
  process.on('SIGTERM', () => process.exit(0));
  // Die with the parent.
  process.on('disconnect', () => process.exit(0));
}
