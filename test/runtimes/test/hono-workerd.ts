/**
 * The adapter conformance suite's contract, met by @scopebound/hono running INSIDE workerd (Miniflare): the suite
 * builds apps with in-process options (the emulator's `fetch`, credential objects, resolver functions); this
 * harness turns them into JSON for the worker (the emulator listening on 127.0.0.1, the demo clients' secrets, a
 * tenant directory on 127.0.0.1 that runs the suite's resolver) and serves the worker through a Node request
 * listener that forwards each request to workerd and reads back what the suite asks of the middleware.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { Miniflare } from 'miniflare';
import * as emulatorModule from '@scopebound/emulator';
import { emulatorFixture } from '@scopebound/management/adapter/testing';
import { ERRORS_HEADER, LOGS_HEADER, TENANTS_HEADER, type CredentialWire, type LogLineWire, type TenantWire, type WorkerConfig } from '../src/hono-conformance-wire';

type Emulator = ReturnType<typeof emulatorModule.createEmulator>;
/** Each emulated tenant of the fixture, by its in-process fetch: its domain and its HTTP origin on 127.0.0.1. */
const listening = new Map<Emulator['fetch'], { domain: string; url: Promise<string> }>();

/** The suite's fixture, whose tenants also listen on 127.0.0.1 (closed with the emulator). */
export const fixture = emulatorFixture({
  ...emulatorModule,
  createEmulator: (options: Parameters<typeof emulatorModule.createEmulator>[0]) => {
    const emu = emulatorModule.createEmulator(options);
    listening.set(emu.fetch, { domain: emu.domain, url: emu.listen().then((s) => s.url) });
    return emu;
  },
} as never);

interface TenantOptions {
  domain: string;
  fetch: Emulator['fetch'];
  credentials: readonly { clientId: string }[] | { clientId: string };
}

/** A tenant of the suite (in-process fetch + credential objects) as the worker reaches it. */
async function toWire(t: TenantOptions): Promise<TenantWire> {
  const emu = listening.get(t.fetch);
  if (!emu) throw new Error('the worker can only reach emulators of this fixture (their fetch is how the suite names them)');
  const secretOf = (c: { clientId: string }) => {
    const demo = emulatorModule.DEMO_CLIENTS.find((d) => d.clientId === c.clientId);
    if (!demo?.clientSecret) throw new Error(`credential ${c.clientId} is not a demo client with a secret`);
    return demo;
  };
  // A pool declares each application's grants; one credential leaves them to the tenant.
  const credentials = Array.isArray(t.credentials)
    ? (t.credentials as readonly { clientId: string }[]).map((c): CredentialWire => {
        const demo = secretOf(c);
        return { clientId: demo.clientId, clientSecret: demo.clientSecret as string, grants: demo.scopes };
      })
    : ((demo): CredentialWire => ({ clientId: demo.clientId, clientSecret: demo.clientSecret as string }))(secretOf(t.credentials as { clientId: string }));
  return { baseUrl: await emu.url, audience: `https://${emu.domain}/api/v2/`, credentials };
}

const listen = async (handler: RequestListener): Promise<Server> => {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};
const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
const bodyOf = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** The tenant directory: the suite's `tenant(req)` resolver over HTTP (a refusal keeps its status). */
function directory(resolver: (req: { headers: Record<string, string> }) => TenantOptions | Promise<TenantOptions>): Promise<Server> {
  return listen(async (req, res) => {
    try {
      const wire = await toWire(await resolver({ headers: JSON.parse((await bodyOf(req)).toString('utf8')) as Record<string, string> }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(wire));
    } catch (e) {
      const status = (e as { status?: number }).status ?? 500;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message: (e as Error).message }));
    }
  });
}

/** `buildApp` of the suite's contract, for the worker bundle `script`: the app runs in workerd, started on first request. */
export function workerApp(script: string) {
  return (_framework: unknown, options: Record<string, unknown>, errorOptions: { onError?: () => void; clock?: () => number; logger?: Record<LogLineWire['level'], (fields: Record<string, unknown>, message: string) => void> } = {}) => {
    const { tenant, domain, fetch, credentials, ...shared } = options;
    let tenants = 0;
    let errorsSeen = 0;
    let dir: Server | undefined;
    let mf: Promise<Miniflare> | undefined;
    const start = async (): Promise<Miniflare> => {
      if (typeof tenant === 'function') dir = await directory(tenant as never);
      const config: WorkerConfig = {
        shared,
        ...(dir ? { directory: urlOf(dir) } : { tenant: await toWire({ domain, fetch, credentials } as TenantOptions) }),
        ...(errorOptions.clock ? { clock: errorOptions.clock() } : {}),
        ...(errorOptions.logger && !errorOptions.onError ? { log: true } : {}),
      };
      // No nodejs_compat: Web APIs only, as on Cloudflare.
      return new Miniflare({ modules: true, script, compatibilityDate: '2025-09-01', bindings: { CONFIG: JSON.stringify(config) } });
    };
    const app: RequestListener = (req, res) => {
      void (async () => {
        try {
          const worker = await (mf ??= start());
          const body = await bodyOf(req);
          const headers = Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]]));
          const answer = await worker.dispatchFetch(`http://conformance.local${req.url ?? '/'}`, {
            method: req.method ?? 'GET',
            headers,
            ...(body.length > 0 ? { body } : {}),
          });
          tenants = Number(answer.headers.get(TENANTS_HEADER) ?? tenants);
          const errors = Number(answer.headers.get(ERRORS_HEADER) ?? errorsSeen);
          for (; errorsSeen < errors; errorsSeen++) errorOptions.onError?.();
          const logged = answer.headers.get(LOGS_HEADER);
          if (logged) for (const l of JSON.parse(decodeURIComponent(logged)) as LogLineWire[]) errorOptions.logger?.[l.level](l.fields, l.message);
          const out = Object.fromEntries([...answer.headers].filter(([k]) => k !== TENANTS_HEADER && k !== ERRORS_HEADER && k !== LOGS_HEADER && k !== 'content-length'));
          res.writeHead(answer.status, out).end(Buffer.from(await answer.arrayBuffer()));
        } catch (e) {
          res.writeHead(599, { 'content-type': 'text/plain' }).end(`harness: ${(e as Error).message}`);
        }
      })();
    };
    const middleware = {
      get tenants() {
        return tenants;
      },
      async close() {
        if (mf) await (await mf).dispose();
        if (dir) await close(dir);
      },
    };
    return { app, middleware };
  };
}

export const readBundle = (file: string) => readFileSync(file, 'utf8');
