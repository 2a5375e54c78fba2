/** The node HTTP host: binds 127.0.0.1 by default; each request becomes a `Request` for the core. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { EmulatorError, EmulatorOptionError } from '../errors';
import type { Handle } from '../handle-context';

export interface ListenOptions {
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:4010` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function toRequest(req: IncomingMessage, origin: string, body: Buffer | undefined): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else headers.set(k, v);
  }
  const init: RequestInit = { method: req.method ?? 'GET', headers };
  if (body && body.length > 0 && req.method !== 'GET' && req.method !== 'HEAD') init.body = new Uint8Array(body) as Uint8Array<ArrayBuffer>;
  return new Request(new URL(req.url ?? '/', origin), init);
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (body) headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

export async function listenHttp(
  handle: Handle,
  options: ListenOptions,
  hooks: { onListen(origin: string): void; onClose(origin: string): void },
): Promise<RunningServer> {
  const port = options.port ?? 0;
  const host = options.host ?? '127.0.0.1';
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EmulatorOptionError('port', 'must be an integer between 0 and 65535');
  if (typeof host !== 'string' || host === '') throw new EmulatorOptionError('host', 'must be a host name or IP address');
  const sockets = new Set<Socket>();
  let origin = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const request = toRequest(req, origin, chunks.length ? Buffer.concat(chunks) : undefined);
      handle(request, { peer: req.socket.remoteAddress ?? 'unknown' })
        .then(async (response) => {
          if (response.type === 'error') {
            req.socket.destroy();
            return;
          }
          await writeResponse(res, response);
        })
        .catch(() => {
          if (!res.headersSent) {
            res.writeHead(500, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ statusCode: 500, error: 'Internal Server Error', message: 'The emulator failed to answer.' }));
          } else res.destroy();
        });
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new EmulatorError('ERR_EMULATOR_LISTEN', `Could not listen on ${host}:${port}: ${err.message}`, { cause: err })));
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  origin = `http://${urlHost}:${actualPort}`;
  const origins = [origin, `http://localhost:${actualPort}`];
  for (const o of origins) hooks.onListen(o);
  let closing: Promise<void> | undefined;
  return {
    url: origin,
    port: actualPort,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const o of origins) hooks.onClose(o);
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}
