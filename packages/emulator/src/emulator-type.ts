/**
 * The `Emulator` interface: what `createEmulator` returns. Its own module so that the explorer, which
 * explores an emulator, depends on this shape and never on emulator.ts (which builds the explorer).
 */
import type { EmulatorAdmin } from './admin';
import type { HandleContext } from './handle-context';
import type { FetchLike } from './hosts/fetch';
import type { ListenOptions, RunningServer } from './hosts/node';
import type { Journal } from './journal';

export interface Emulator {
  /** The tenant domain (tokens are issued by `https://{domain}/`). */
  readonly domain: string;
  /** In-process, fetch-compatible: any URL is handled by its path (the host is ignored). */
  readonly fetch: FetchLike;
  /** The core, for custom hosts: `peer` is the caller's address (`'in-process'` counts as loopback). */
  handle(request: Request, context?: HandleContext): Promise<Response>;
  /** Resolves once keys are generated and seeds applied (every entry point awaits it anyway). */
  ready(): Promise<void>;
  /** Serve over HTTP (127.0.0.1 and an ephemeral port by default). */
  listen(options?: ListenOptions): Promise<RunningServer>;
  /**
   * msw v2 handlers for `https://{domain}/*` (msw is imported on first call).
   * @deprecated Use `mswHandlers(emulator)` from `@scopebound/emulator/msw`, typed with msw's `RequestHandler`.
   * This method's handlers are untyped so that the main entry's declarations never import msw (an optional peer).
   */
  mswHandlers(): Promise<any[]>;
  readonly admin: EmulatorAdmin;
  readonly journal: Journal;
  /** Close every server started by `listen` and refuse further requests. */
  close(): Promise<void>;
}
