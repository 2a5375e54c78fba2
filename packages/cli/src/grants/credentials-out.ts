/**
 * The pool's credentials file on disk: read an earlier one (so a rerun keeps the secrets it already has),
 * and write it atomically with mode 0600 after every change. Secrets go only there, never to the terminal.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@scopebound/management/usage';
import { CREDENTIALS_FORMAT, InvalidOptionError, type CredentialsFile } from '@scopebound/token';

type Entry = CredentialsFile['credentials'][number];

export interface CredentialsOut {
  secretOf(clientId: string): string | undefined;
  put(entry: Entry): Promise<void>;
  drop(clientId: string): Promise<void>;
  entries(): readonly Entry[];
}

export async function openCredentialsFile(path: string, domain: string): Promise<CredentialsOut> {
  const entries = new Map<string, Entry>();
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) {
    let doc: Partial<CredentialsFile>;
    try {
      doc = JSON.parse(text) as Partial<CredentialsFile>;
    } catch {
      throw new InvalidOptionError('--credentials', `${path} is not JSON; it is left untouched. Move it aside or pass another --credentials path.`);
    }
    if (doc.format !== CREDENTIALS_FORMAT || !Array.isArray(doc.credentials)) {
      throw new InvalidOptionError('--credentials', `${path} is not a Scopebound credentials file; it is left untouched. Pass another --credentials path.`);
    }
    for (const e of doc.credentials) if (e && typeof e.clientId === 'string') entries.set(e.clientId, e);
  }
  const save = () => {
    const doc: CredentialsFile = { format: CREDENTIALS_FORMAT, version: 1, domain, credentials: [...entries.values()] };
    return writeFileAtomic(path, `${JSON.stringify(doc, null, 2)}\n`, 0o600);
  };
  return {
    secretOf: (clientId) => entries.get(clientId)?.clientSecret,
    async put(entry) {
      entries.set(entry.clientId, entry);
      await save();
    },
    async drop(clientId) {
      if (entries.delete(clientId)) await save();
    },
    entries: () => [...entries.values()],
  };
}
