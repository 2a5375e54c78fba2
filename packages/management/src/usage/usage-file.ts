/**
 * Usage files on disk (Node only, `@scopebound/management/usage`): read and validate one, or write a
 * recorder's snapshot merged into the file already there, atomically (a temporary file renamed over it), so
 * a crash or two writers never leave a half-written file and nothing recorded earlier is lost.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { InvalidOptionError } from '@scopebound/token';
import { emptyUsage, mergeUsage, parseUsage, type UsageData } from './usage-data';

/** The usage file at `path`, validated; a missing file is empty usage. */
export async function readUsageFile(path: string): Promise<UsageData> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyUsage();
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidOptionError(path, 'is not JSON; it is left as it is. Move it aside (or fix it) and record again.');
  }
  return parseUsage(json, path);
}

/**
 * Merge `data` into the file at `path` (created when missing) and return what the file now holds. Writers
 * (other processes of a test run, parallel workers) take turns through a lock file beside it, so no count is
 * lost; a lock older than 10 s is taken over (its holder died).
 */
export async function writeUsageFile(path: string, data: UsageData): Promise<UsageData> {
  const release = await lock(`${path}.lock`);
  try {
    const merged = mergeUsage(await readUsageFile(path), data);
    await writeFileAtomic(path, `${JSON.stringify(merged, null, 2)}\n`, 0o644);
    return merged;
  } finally {
    await release();
  }
}

async function lock(file: string): Promise<() => Promise<void>> {
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(file).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > 10_000) await rm(file, { force: true });
      else if (attempt > 400) throw new InvalidOptionError(file, 'is held by another writer for too long; remove it if no process is writing usage');
      else await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
    }
  }
}

/** Write `text` to a temporary file beside `path`, fsync it, then rename it over `path`. */
export async function writeFileAtomic(path: string, text: string, mode: number): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
