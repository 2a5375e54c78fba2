/**
 * `scopebound explorer`: the explorer page on loopback (default port 4011). Against a real tenant when
 * AUTH0_DOMAIN (or AUTH0_BASE_URL), AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET are set (minting through
 * @scopebound/token; the secret stays in this process), otherwise against a fresh emulator (demo seed).
 */
import { createEmulator, createExplorer } from '@scopebound/emulator';
import { clientSecret, isLoopbackHost } from '@scopebound/token';
import { CliUsageError, type CliIO } from '../io';
import { emulatorOptions, emulatorOptionsFrom, parsePort, type EmulatorArgs } from './emulator';

export interface ExplorerArgs extends EmulatorArgs {
  /** Use an emulator even when AUTH0_* variables are set. */
  emulator?: boolean;
}

export const explorerOptions = { ...emulatorOptions, emulator: { type: 'boolean' } } as const;

export const EXPLORER_PORT = 4011;

export interface RunningExplorer {
  /** The page, e.g. http://127.0.0.1:4011/explorer */
  readonly url: string;
  readonly mode: 'emulator' | 'tenant';
  close(): Promise<void>;
}

/** Start the explorer and print its URL (the command then waits for Ctrl-C). */
export async function startExplorer(args: ExplorerArgs, io: CliIO): Promise<RunningExplorer> {
  const port = parsePort(args.port, EXPLORER_PORT);
  const host = args.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new CliUsageError(`--host must be a loopback address (127.0.0.1, ::1 or localhost): the explorer answers loopback peers only, got "${host}".`);
  const env = io.env;
  const tenantDomain = env.AUTH0_DOMAIN;
  const baseUrl = env.AUTH0_BASE_URL;
  const useTenant = !args.emulator && (tenantDomain || baseUrl) && env.AUTH0_CLIENT_ID && env.AUTH0_CLIENT_SECRET;
  if (useTenant) {
    const explorer = createExplorer({
      tenant: {
        ...(tenantDomain ? { domain: tenantDomain } : {}),
        ...(baseUrl ? { baseUrl } : {}),
        credentials: [clientSecret({ clientId: env.AUTH0_CLIENT_ID!, clientSecret: env.AUTH0_CLIENT_SECRET! })],
      },
    });
    const server = await explorer.listen({ port, host });
    const url = `${server.url}/explorer`;
    io.out(`Scopebound explorer: ${url}`);
    io.out(`  tenant   ${explorer.domain} (client ${env.AUTH0_CLIENT_ID}; the secret stays in this process)`);
    io.out('  Calls made from "Try it" reach the real tenant. Loopback only.');
    return { url, mode: 'tenant', close: () => server.close() };
  }
  const emulator = createEmulator(emulatorOptionsFrom(args));
  try {
    const server = await emulator.listen({ port, host });
    const url = `${server.url}/explorer`;
    io.out(`Scopebound explorer: ${url}`);
    io.out(`  emulator ${emulator.domain} at ${server.url} (token endpoint ${server.url}/oauth/token)`);
    io.out('  Set AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET to explore a real tenant instead. Loopback only.');
    return {
      url,
      mode: 'emulator',
      async close() {
        await server.close();
        await emulator.close();
      },
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}

export async function explorerCommand(args: ExplorerArgs, io: CliIO): Promise<number> {
  const running = await startExplorer(args, io);
  io.out('Press Ctrl-C to stop.');
  await (io.untilSignal ?? (() => new Promise<void>(() => {})))();
  await running.close();
  return 0;
}
