/** `scopebound token`: mint a token for the given scopes (token provider only, no Management API client). */
import { CliUsageError, type CliIO } from '../io';
import { connectionFrom, connectionOptions, type ConnectionArgs } from './connect';

export const tokenOptions = { ...connectionOptions, scopes: { type: 'string' }, decode: { type: 'boolean' } } as const;

function decodePart(part: string | undefined): unknown {
  if (!part) return undefined;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Mint a token for the given scopes and print it (stdout: the token only, so it can be piped). */
export async function tokenCommand(args: ConnectionArgs & { scopes?: string; decode?: boolean }, io: CliIO): Promise<number> {
  const scopes = (args.scopes ?? '').split(/[\s,]+/).filter(Boolean);
  if (scopes.length === 0) throw new CliUsageError('--scopes is required, e.g. --scopes "read:users update:users_app_metadata".');
  const { tokens } = connectionFrom(args, io);
  const token = await tokens.getToken(scopes);
  if (args.decode) {
    const [header, claims] = token.value.split('.');
    io.err(JSON.stringify({ header: decodePart(header), claims: decodePart(claims) }, null, 2));
  }
  io.err(`granted: ${token.scopes.join(' ')}`);
  io.err(`expires: ${new Date(token.expiresAt).toISOString()}`);
  io.out(token.value);
  return 0;
}
