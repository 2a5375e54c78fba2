/**
 * The credentials file `scopebound grants apply` writes (a right-sized pool of applications), turned into
 * credentials the provider takes directly: `createTokenProvider({ domain, credentials: credentialsFromJson(json) })`.
 * Reading the file is the caller's (this package uses no file system); the JSON is validated here.
 */
import { InvalidOptionError } from '../errors';
import type { Credential } from '../credential';
import { clientSecret } from './client-secret';

export const CREDENTIALS_FORMAT = 'scopebound-credentials';

export interface CredentialsFile {
  readonly format: typeof CREDENTIALS_FORMAT;
  readonly version: 1;
  /** The tenant the applications belong to. */
  readonly domain?: string | undefined;
  readonly credentials: readonly {
    readonly clientId: string;
    readonly clientSecret: string;
    /** The application's Management API grant (the pool picks the narrowest that covers a call). */
    readonly grants: readonly string[];
    readonly name?: string | undefined;
    /** The plan member it was made for. */
    readonly member?: string | undefined;
  }[];
}

/** A pool of client-secret credentials, one per entry, each with its known grant. */
export function credentialsFromJson(value: unknown): Credential[] {
  const doc = value as Partial<CredentialsFile> | null;
  if (typeof doc !== 'object' || doc === null || doc.format !== CREDENTIALS_FORMAT) {
    throw new InvalidOptionError('credentials', `is not a Scopebound credentials file (expected "format": "${CREDENTIALS_FORMAT}"); make one with \`scopebound grants apply --yes\``);
  }
  if (!Array.isArray(doc.credentials) || doc.credentials.length === 0) {
    throw new InvalidOptionError('credentials', 'lists no application; apply a grants plan first');
  }
  return doc.credentials.map((entry, i) => {
    if (typeof entry !== 'object' || entry === null) throw new InvalidOptionError(`credentials[${i}]`, 'must be an object');
    return clientSecret({ clientId: entry.clientId, clientSecret: entry.clientSecret, grants: entry.grants });
  });
}
