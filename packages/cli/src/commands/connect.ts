/** Where the `token` and `call` commands connect: the tenant and its client-credentials token provider. */
import { clientSecret, createTokenProvider } from '@scopebound/token';
import { CliUsageError, type CliIO } from '../io';

export const connectionOptions = {
  domain: { type: 'string' },
  'base-url': { type: 'string' },
  'client-id': { type: 'string' },
} as const;

export interface ConnectionArgs {
  domain?: string;
  'base-url'?: string;
  'client-id'?: string;
}

/**
 * Where to connect: --domain/--base-url or AUTH0_DOMAIN/AUTH0_BASE_URL; the client id from --client-id or
 * AUTH0_CLIENT_ID; the secret only from AUTH0_CLIENT_SECRET (never a flag: flags end up in shell history).
 */
export function connectionFrom(args: ConnectionArgs, io: CliIO) {
  const domain = args.domain ?? io.env.AUTH0_DOMAIN;
  const baseUrl = args['base-url'] ?? io.env.AUTH0_BASE_URL;
  if (!domain && !baseUrl) {
    throw new CliUsageError('Say which tenant: --domain example.eu.auth0.com (or AUTH0_DOMAIN), or --base-url http://127.0.0.1:4010 for the emulator (or AUTH0_BASE_URL).');
  }
  const clientId = args['client-id'] ?? io.env.AUTH0_CLIENT_ID;
  const secret = io.env.AUTH0_CLIENT_SECRET;
  if (!clientId) throw new CliUsageError('Set AUTH0_CLIENT_ID (or --client-id) to the M2M application to use.');
  if (!secret) throw new CliUsageError('Set AUTH0_CLIENT_SECRET in the environment (it is never taken as a flag).');
  const endpoint = baseUrl ? { baseUrl } : { domain: domain! };
  const tokens = createTokenProvider({
    ...endpoint,
    credentials: clientSecret({ clientId, clientSecret: secret }),
  });
  return { endpoint, tokens };
}
