/** `createEmulator`: one core, three hosts (node HTTP, in-process fetch, msw handlers). */
import type { RequestHandler } from 'msw';
import type { EmulatorAdmin } from './admin';
import { createCore, type HandleContext } from './core';
import { createFetchHost, type FetchLike } from './hosts/fetch';
import { createMswHandlers } from './hosts/msw';
import { listenHttp, type ListenOptions, type RunningServer } from './hosts/node';
import type { Journal } from './journal';
import { createExplorer, type Explorer } from './explorer/explorer';
import { resolveOptions, type EmulatorOptions, type ExplorerHandler } from './options';

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
  /** msw v2 handlers for `https://{domain}/*` (msw is imported on first call). */
  mswHandlers(): Promise<RequestHandler[]>;
  readonly admin: EmulatorAdmin;
  readonly journal: Journal;
  /** Close every server started by `listen` and refuse further requests. */
  close(): Promise<void>;
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  // The explorer page is served by default (built on first request); `explorer: false` turns it off.
  let explorer: Explorer | undefined;
  const defaultExplorer: ExplorerHandler = (request, context) => (explorer ??= createExplorer({ emulator: self })).handle(request, context);
  const given = options?.explorer;
  const resolved = resolveOptions(
    typeof options === 'object' && options !== null
      ? { ...options, explorer: given === false ? undefined : (given ?? defaultExplorer) }
      : options,
  );
  const core = createCore(resolved);
  const servers = new Set<RunningServer>();
  const self: Emulator = {
    domain: resolved.domain,
    fetch: createFetchHost(core.handle, resolved.domain),
    handle: core.handle,
    ready: () => core.ready,
    async listen(listenOptions = {}) {
      await core.ready;
      const server = await listenHttp(core.handle, listenOptions, {
        onListen: core.addListenOrigin,
        onClose: core.removeListenOrigin,
      });
      servers.add(server);
      return {
        url: server.url,
        port: server.port,
        close: async () => {
          servers.delete(server);
          await server.close();
        },
      };
    },
    async mswHandlers() {
      return (await createMswHandlers(core.handle, resolved.domain)) as RequestHandler[];
    },
    admin: core.admin,
    journal: core.journal,
    async close() {
      core.close();
      await Promise.all([...servers].map((s) => s.close()));
      servers.clear();
    },
  };
  return self;
}
