/** `createEmulator`: one core, three hosts (node HTTP, in-process fetch, msw handlers). */
import { createCore } from './core';
import type { Emulator } from './emulator-type';
import { createExplorer, type Explorer } from './explorer/explorer';
import { createFetchHost } from './hosts/fetch';
import { listenHttp, type RunningServer } from './hosts/node';
import { EmulatorError } from './errors';
import { webResponse } from './light-http';
import { resolveOptions, type EmulatorOptions, type ExplorerHandler } from './options';

export type { Emulator } from './emulator-type';

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
    handle: async (request, context) => webResponse(await core.handle(request, context)),
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
        ...(server.ca ? { ca: server.ca } : {}),
        close: async () => {
          servers.delete(server);
          await server.close();
        },
      };
    },
    async mswHandlers() {
      let host: typeof import('./hosts/msw');
      try {
        host = await import('./hosts/msw');
      } catch (error) {
        throw new EmulatorError('ERR_EMULATOR_MSW_MISSING', 'mswHandlers() needs the msw package: install msw@2 in your project.', { cause: error });
      }
      return host.mswHandlers(self);
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
