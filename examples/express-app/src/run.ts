/**
 * Start the example: the embedded emulator (default) or a real tenant (AUTH0_DOMAIN + AUTH0_CLIENT_ID +
 * AUTH0_CLIENT_SECRET), the app on PORT, the tour, then keep serving (or stop after the tour).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEmulator, DEMO_CLIENTS, DEMO_IDS, type Emulator } from '@scopebound/emulator';
import { clientSecret, type Credential } from '@scopebound/token';
import { createApp } from './app';
import { createTokenLog } from './token-log';
import { runTour, tokenSummary, tourSteps } from './tour';
import { consoleTracing } from './tracing';

export interface RunOptions {
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  /** Where the banner and the tour go. Default console.log. */
  write?: (line: string) => void;
  /** Tests only: the fetch used to reach a "real" tenant (AUTH0_DOMAIN mode). Default: the network. */
  tenantFetch?: typeof globalThis.fetch;
}

export interface Running {
  /** The app's URL, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  readonly mode: 'emulator' | 'tenant';
  /** True when the app should exit after the tour. */
  readonly tourOnly: boolean;
  close(): Promise<void>;
}

export class ConfigError extends Error {
  readonly code = 'ERR_EXAMPLE_CONFIG';
}

interface Setup {
  mode: 'emulator' | 'tenant';
  domain: string;
  credentials: Credential[];
  fetch?: typeof globalThis.fetch;
  emulator?: Emulator;
  describe: string[];
}

function setup(env: Readonly<Record<string, string | undefined>>, tenantFetch: typeof globalThis.fetch | undefined): Setup {
  const domain = env.AUTH0_DOMAIN?.trim();
  if (domain) {
    const clientId = env.AUTH0_CLIENT_ID?.trim();
    const secret = env.AUTH0_CLIENT_SECRET;
    if (!clientId || !secret) {
      throw new ConfigError('AUTH0_DOMAIN is set, so the app runs against that tenant: also set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (an M2M application authorised for the Management API), or unset AUTH0_DOMAIN to use the embedded emulator.');
    }
    return {
      mode: 'tenant',
      domain,
      ...(tenantFetch ? { fetch: tenantFetch } : {}),
      credentials: [clientSecret({ clientId, clientSecret: secret })],
      describe: [
        `  Tenant:      ${domain} (real Auth0 tenant, from AUTH0_DOMAIN)`,
        `  Credentials: client id ${clientId}; secret from AUTH0_CLIENT_SECRET (not shown)`,
        '  Note: Auth0 grants every scope of the application whatever is asked; the route allow-lists still',
        '  keep each call to its scopes. The tour only reads (set TOUR_WRITES=1 to include the plan and role changes).',
      ],
    };
  }
  // Real Auth0 grants an application all of its scopes whatever is asked; the embedded emulator is run with
  // `narrowScopes` so each token holds exactly the scopes its call asked for, which makes the tour legible.
  const emulator = createEmulator({ seed: 'demo', narrowScopes: true });
  const demo = DEMO_CLIENTS.filter((c) => c.clientSecret !== undefined);
  return {
    mode: 'emulator',
    domain: emulator.domain,
    fetch: emulator.fetch as typeof globalThis.fetch,
    emulator,
    credentials: demo.map((c) => clientSecret({ clientId: c.clientId, clientSecret: c.clientSecret as string, grants: c.scopes })),
    describe: [
      `  Tenant:      ${emulator.domain} (embedded Scopebound emulator, in-process; demo data: ${DEMO_IDS.users} users, 4 roles)`,
      '  Credentials: the emulator\'s demo M2M applications (local demo values, not real secrets);',
      '               each call uses the least privileged one whose grants cover it:',
      ...demo.map((c) => `    ${c.clientId.padEnd(24)} secret ${String(c.clientSecret).padEnd(30)} grants ${c.scopes.length > 8 ? `every server scope (${c.scopes.length})` : c.scopes.join(' ')}`),
    ],
  };
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
  return (server.address() as AddressInfo).port;
}

export async function run(options: RunOptions = {}): Promise<Running> {
  const argv = options.argv ?? process.argv.slice(2);
  const env = options.env ?? process.env;
  const write = options.write ?? ((line: string) => console.log(line));
  const tourOnly = argv.includes('--tour-only') || env.TOUR_ONLY === '1' || env.TOUR_ONLY === 'true';
  const host = env.HOST ?? '127.0.0.1';
  const portText = env.PORT ?? '3000';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65_535) throw new ConfigError(`PORT must be a port number (0 for any free port), got ${JSON.stringify(portText)}.`);

  const trace = env.SCOPEBOUND_TRACE ?? '';
  if (trace !== '' && trace !== 'console') throw new ConfigError(`SCOPEBOUND_TRACE must be "console" (print a span per Management API call and token mint) or unset, got ${JSON.stringify(trace)}.`);
  const s = setup(env, options.tenantFetch);
  const stopTracing = trace === 'console' ? consoleTracing() : async () => {};
  const log = createTokenLog();
  const example = createApp({
    domain: s.domain,
    credentials: s.credentials,
    ...(s.fetch ? { fetch: s.fetch } : {}),
    onTokenEvent: (e) => log.record(e),
  });
  const server = createServer(example.app);
  let port: number;
  try {
    port = await listen(server, Number(portText), host);
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE' || env.PORT !== undefined) throw err;
    write(`  (port ${portText} is busy; using a free port instead; set PORT to choose one)`);
    port = await listen(server, 0, host);
  }
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await example.close();
    await s.emulator?.close();
    await stopTracing();
  };

  try {
    const firstUser: string | undefined = s.mode === 'emulator' ? DEMO_IDS.firstUser : undefined;
    write('');
    write(`Scopebound example app (Express ${s.mode === 'emulator' ? '+ embedded Auth0 emulator' : '+ your Auth0 tenant'})`);
    write(`  App:         ${url}/`);
    write(`  Admin list:  ${url}/users   (search: ${url}/users?q=ada, pages: ?page=1&per_page=10)`);
    if (firstUser) write(`  Profile:     ${url}/users/${encodeURIComponent(firstUser)}`);
    write(`  JSON:        send Accept: application/json to any of these`);
    for (const line of s.describe) write(line);
    write('');
    write('Tour (each request, then the tokens it minted or reused):');

    let userId = firstUser;
    if (!userId) {
      const res = await fetch(`${url}/users?per_page=1`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
      const body = (await res.json()) as { users?: { user_id?: string }[] };
      userId = body.users?.[0]?.user_id;
      log.take();
    }
    const writes = s.mode === 'emulator' || env.TOUR_WRITES === '1';
    const steps = userId ? tourSteps({ userId, writes }) : tourSteps({ userId: 'none', writes: false }).filter((st) => !st.path.startsWith('/users/'));
    await runTour(url, steps, log, write);
    write('');
    write('Tokens minted (one per scope set; later calls were served from the cache):');
    for (const line of tokenSummary(log)) write(line);
    write('');
    write(tourOnly ? 'Tour done (--tour-only): stopping.' : `Serving ${url}/ — press Ctrl-C to stop.`);
  } catch (err) {
    await close();
    throw err;
  }
  return { url, mode: s.mode, tourOnly, close };
}
