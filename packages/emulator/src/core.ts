/**
 * The core: one `handle(request) → Response` used by every host (node HTTP, in-process fetch, msw). It
 * starts the runtime, then sends `/__health`, `/__admin/*` (loopback), `/explorer/*` (loopback) and the
 * tenant routes (tenant-pipeline.ts) where they belong.
 */
import { createAdmin, type EmulatorAdmin } from './admin';
import { handleAdmin } from './admin-http';
import { createVirtualClock } from './clock';
import { createFaultEngine } from './faults';
import type { HandleContext } from './handle-context';
import { apiError, json } from './http';
import { createJournal, type JournalWriter } from './journal';
import { createStateSaver, loadStateFile, notifyingAdmin, warnSaveFailed } from './persistence';
import { webRequest } from './light-http';
import { isLoopbackPeer } from './loopback';
import type { ResolvedOptions } from './options';
import { createQuotaTracker } from './quota';
import { createRateLimiter } from './rate-limit';
import { createRouter } from './router';
import { startRuntime, type Runtime, type RuntimeParts } from './runtime';
import { operations } from './table';
import { handleTenant } from './tenant-pipeline';

export interface Core {
  handle(request: Request, context?: HandleContext): Promise<Response>;
  readonly ready: Promise<void>;
  readonly admin: EmulatorAdmin;
  readonly journal: JournalWriter;
  addListenOrigin(origin: string): void;
  removeListenOrigin(origin: string): void;
  close(): void;
}

function explorerAnswer(rt: Runtime, request: Request, context: HandleContext): Response | Promise<Response> {
  if (!isLoopbackPeer(context.peer)) {
    return apiError(403, 'The explorer only answers loopback peers (127.0.0.1, ::1) or in-process calls.', 'explorer_loopback_only');
  }
  if (rt.explorer) return webRequest(request).then((real) => rt.explorer!(real, context));
  return apiError(404, 'The explorer page is not installed: register one with createEmulator({explorer}) or admin.setExplorer().', 'explorer_not_installed');
}

export function createCore(options: ResolvedOptions): Core {
  const clock = createVirtualClock(options.clock);
  const parts: RuntimeParts = {
    clock,
    journal: createJournal(options.journalLimit),
    faults: createFaultEngine(clock, options.faults),
    limiter: createRateLimiter(clock, options.rateLimit),
    quota: createQuotaTracker(clock, options.quota),
    router: createRouter(operations),
    listenOrigins: new Set<string>(),
  };
  let runtime: Runtime | undefined;
  let closed = false;
  const snapshot = options.stateFile ? loadStateFile(options.stateFile, options.domain) : undefined;
  const saver = options.stateFile ? createStateSaver(options.stateFile, () => runtime?.tenant, warnSaveFailed) : undefined;

  const ready = startRuntime(options, parts, snapshot).then((rt) => {
    runtime = rt;
    saver?.changed();
  });
  // Surface start-up errors on first use, never as an unhandled rejection.
  ready.catch(() => undefined);

  const baseAdmin = createAdmin(async () => {
    await ready;
    return runtime!;
  }, parts.journal);
  const admin = saver ? notifyingAdmin(baseAdmin, () => saver.changed()) : baseAdmin;

  async function handle(request: Request, context: HandleContext = {}): Promise<Response> {
    if (closed) return apiError(503, 'The emulator has been closed.', 'emulator_closed');
    await ready;
    const rt = runtime!;
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return apiError(400, 'Bad request URL', 'invalid_url');
    }
    const path = url.pathname;
    if (path === '/__health') return json(200, { status: 'ok', domain: rt.tenant.domain, time: new Date(rt.clock.now()).toISOString() });
    if (path === '/__admin' || path.startsWith('/__admin/')) {
      if (!isLoopbackPeer(context.peer)) {
        return apiError(403, 'The admin API only answers loopback peers (127.0.0.1, ::1) or in-process calls.', 'admin_loopback_only');
      }
      const answer = await handleAdmin(admin, rt, request, url);
      if (saver && request.method !== 'GET') saver.changed();
      return answer;
    }
    if (path === '/explorer' || path.startsWith('/explorer/')) return explorerAnswer(rt, request, context);
    const response = await handleTenant(rt, request, url, context);
    if (saver && request.method !== 'GET' && request.method !== 'HEAD') saver.changed();
    return response;
  }

  return {
    handle,
    ready,
    admin,
    journal: parts.journal,
    addListenOrigin: (origin) => void parts.listenOrigins.add(origin),
    removeListenOrigin: (origin) => void parts.listenOrigins.delete(origin),
    close() {
      closed = true;
      saver?.close();
    },
  };
}
