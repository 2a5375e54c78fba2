/** `scopebound emulator`: a local Auth0 tenant over HTTP(S), its flags turned into emulator options. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator, DEMO_CLIENTS, type Emulator, type EmulatorOptions } from '@scopebound/emulator';
import { CliUsageError, type CliIO } from '../io';

export interface EmulatorArgs {
  port?: string;
  host?: string;
  seed?: string;
  domain?: string;
  'narrow-scopes'?: boolean;
  'rate-limit'?: string;
  /** Load the tenant from this file and save it there (`stateFile`). */
  state?: string;
  /** Serve HTTPS with a local CA (its PEM written to `--ca-file`). */
  https?: boolean;
  'ca-file'?: string;
}

export const emulatorOptions = {
  port: { type: 'string' },
  host: { type: 'string' },
  seed: { type: 'string' },
  domain: { type: 'string' },
  'narrow-scopes': { type: 'boolean' },
  'rate-limit': { type: 'string' },
  state: { type: 'string' },
  https: { type: 'boolean' },
  'ca-file': { type: 'string' },
} as const;

export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliUsageError(`--port must be a number from 0 to 65535, got "${value}".`);
  return port;
}

/** Build the emulator options from command-line flags (validated; the emulator validates the rest). */
export function emulatorOptionsFrom(args: EmulatorArgs): EmulatorOptions {
  let seed: EmulatorOptions['seed'] = 'demo';
  if (args.seed === 'none' || args.seed === 'false') seed = false;
  else if (args.seed && args.seed !== 'demo') {
    try {
      seed = JSON.parse(readFileSync(args.seed, 'utf8'));
    } catch (error) {
      throw new CliUsageError(`--seed ${args.seed}: not a readable JSON seed file (${(error as Error).message}). Use demo, none, or a JSON file.`);
    }
  }
  let rateLimit: EmulatorOptions['rateLimit'];
  if (args['rate-limit'] !== undefined) {
    const v = args['rate-limit'];
    if (v === 'off' || v === 'false') rateLimit = false;
    else if (v === 'free' || v === 'enterprise' || v === 'default') rateLimit = v;
    else throw new CliUsageError(`--rate-limit must be free, enterprise, default or off, got "${v}".`);
  }
  return {
    seed,
    ...(args.domain ? { domain: args.domain } : {}),
    ...(args['narrow-scopes'] ? { narrowScopes: true } : {}),
    ...(rateLimit !== undefined ? { rateLimit } : {}),
    ...(args.state ? { stateFile: args.state } : {}),
  };
}

/** Start an emulator and print how to use it. Returns the running pieces (the command waits for Ctrl-C). */
export async function startEmulator(args: EmulatorArgs, io: CliIO): Promise<{ tenant: Emulator; url: string; close(): Promise<void> }> {
  const options = emulatorOptionsFrom(args);
  const port = parsePort(args.port, 4010);
  const host = args.host ?? '127.0.0.1';
  if (args['ca-file'] && !args.https) throw new CliUsageError('--ca-file only applies with --https.');
  const tenant = createEmulator(options);
  const server = await tenant.listen({ port, host, ...(args.https ? { https: true } : {}) });
  const url = server.url;
  const caFile = server.ca ? (args['ca-file'] ?? join(tmpdir(), `scopebound-emulator-${server.port}-ca.pem`)) : undefined;
  if (caFile) writeFileSync(caFile, server.ca!, { mode: 0o644 });
  io.out(`Scopebound emulator: a local Auth0 tenant`);
  io.out(`  domain          ${tenant.domain}`);
  io.out(`  base URL        ${url}`);
  io.out(`  token endpoint  ${url}/oauth/token`);
  io.out(`  JWKS            ${url}/.well-known/jwks.json`);
  io.out(`  Management API  ${url}/api/v2/  (audience https://${tenant.domain}/api/v2/ or ${url}/api/v2/)`);
  io.out(`  explorer        ${url}/explorer`);
  io.out(`  admin API       ${url}/__admin/  (loopback only)`);
  if (options.stateFile) io.out(`  state file      ${options.stateFile}  (loaded at start, saved on change and on exit)`);
  if (caFile) {
    io.out(`  CA certificate  ${caFile}  (made at start; trust it to connect over HTTPS)`);
    io.out(`  e.g.            NODE_EXTRA_CA_CERTS=${caFile} node app.js`);
  }
  if (options.seed === 'demo') {
    io.out('');
    io.out('Demo M2M clients (public demo credentials, valid only here):');
    for (const c of DEMO_CLIENTS) {
      const scopes = c.scopes.length > 6 ? `${c.scopes.length} scopes (every server scope)` : c.scopes.join(' ');
      io.out(`  ${c.clientId.padEnd(26)} ${(c.clientSecret ?? '(private_key_jwt)').padEnd(34)} ${scopes}`);
    }
    io.out('');
    io.out(`Try: AUTH0_BASE_URL=${url} AUTH0_CLIENT_ID=${DEMO_CLIENTS[1]!.clientId} AUTH0_CLIENT_SECRET=${DEMO_CLIENTS[1]!.clientSecret} scopebound call users.list --params '{"per_page":3}'`);
  }
  return {
    tenant,
    url,
    async close() {
      await server.close();
      await tenant.close();
      if (caFile) rmSync(caFile, { force: true });
    },
  };
}

export async function emulatorCommand(args: EmulatorArgs, io: CliIO): Promise<number> {
  const running = await startEmulator(args, io);
  io.out('Press Ctrl-C to stop.');
  await (io.untilSignal ?? (() => new Promise<void>(() => {})))();
  await running.close();
  return 0;
}
