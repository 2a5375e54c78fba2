/**
 * Downloading an export: the `location` URL (a storage link, fetched without the Management API token),
 * gunzipped as it streams, either into memory or into a temp file beside `out` (mode 0600) that is fsynced
 * and renamed over `out` only when complete — a failed download leaves nothing half-written.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ExportDownloadError } from '../errors';
import type { ExportFormat } from './export-options';
import { createRecordCounter } from './records';

export interface DownloadOptions {
  readonly jobId: string;
  readonly format: ExportFormat;
  /** Absolute path to write; without it the text is returned. */
  readonly out?: string;
  readonly fetch: typeof globalThis.fetch;
  readonly signal?: AbortSignal;
  readonly onBytes?: (bytes: number) => void;
}

export interface Downloaded {
  readonly rows: number;
  readonly bytes: number;
  readonly text?: string;
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function downloadExport(location: string, options: DownloadOptions): Promise<Downloaded> {
  let response: Response;
  try {
    response = await options.fetch(location, { ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ExportDownloadError(options.jobId, `network: ${(error as Error).message}`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new ExportDownloadError(options.jobId, `HTTP ${response.status}${response.status === 403 ? ', the link may have expired' : ''}`, response.status);
  }
  const counter = createRecordCounter(options.format);
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      counter.push(chunk);
      bytes += chunk.length;
      options.onBytes?.(bytes);
      done(null, chunk);
    },
  });
  const source = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  const gunzip = createGunzip();
  try {
    if (!options.out) {
      const chunks: Buffer[] = [];
      await pipeline(source, gunzip, count, new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c), done()) }));
      return { rows: counter.total(), bytes, text: Buffer.concat(chunks).toString('utf8') };
    }
    const temp = join(dirname(options.out), `.${basename(options.out)}.${randomBytes(6).toString('hex')}.partial`);
    try {
      await pipeline(source, gunzip, count, createWriteStream(temp, { mode: 0o600, flags: 'wx' }));
      await fsyncFile(temp);
      await rename(temp, options.out);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { rows: counter.total(), bytes };
  } catch (error) {
    if (options.signal?.aborted || error instanceof ExportDownloadError) throw error;
    throw new ExportDownloadError(options.jobId, (error as Error).message);
  }
}
