/**
 * The node HTTP(S) host: binds 127.0.0.1 by default; each request becomes a `Request` for the core. With
 * `https`, it serves TLS with certificates made at start by a local CA (or the ones given) and exposes the
 * CA's PEM as `ca`.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { EmulatorError, EmulatorOptionError } from '../errors';
import type { Handle } from '../handle-context';
import { createLocalCa, type TlsMaterial } from '../tls/local-ca';
import { requestOrigin, toRequest, writeResponse } from './node-bridge';

export interface TlsOptions {
  /** Server certificate (PEM), with its chain. */
  cert: string;
  /** The certificate's private key (PEM). */
  key: string;
  /** The CA certificate (PEM) clients should trust; reported back as `ca`. */
  ca?: string;
}

export interface ListenOptions {
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Serve HTTPS: `true` makes a local CA and a certificate for localhost/127.0.0.1/::1; or give your own. */
  https?: boolean | TlsOptions;
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:4010` or `https://127.0.0.1:4443` */
  readonly url: string;
  readonly port: number;
  /** HTTPS only: the CA certificate (PEM) that signed the server certificate (trust it to connect). */
  readonly ca?: string;
  close(): Promise<void>;
}

function tlsMaterial(https: ListenOptions['https'], host: string): TlsMaterial | undefined {
  if (https === undefined || https === false) return undefined;
  if (https === true) return createLocalCa([host]);
  if (typeof https !== 'object' || https === null || typeof https.cert !== 'string' || typeof https.key !== 'string') {
    throw new EmulatorOptionError('https', 'use true (a certificate made at start) or {cert, key, ca?} as PEM strings');
  }
  return { cert: https.cert, key: https.key, ca: https.ca ?? https.cert };
}

function failed(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ statusCode: 500, error: 'Internal Server Error', message: 'The emulator failed to answer.' }));
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
  const tls = tlsMaterial(options.https, host);
  const scheme = tls ? 'https' : 'http';
  const sockets = new Set<Socket>();
  const origins = new Set<string>();
  let origin = '';
  const answer = (req: IncomingMessage, res: ServerResponse, body: Buffer | undefined) => {
    const request = toRequest(req, requestOrigin(req, scheme, origins, origin), body);
    handle(request, { peer: req.socket.remoteAddress ?? 'unknown' }).then(
      (response) => (response.type === 'error' ? void req.socket.destroy() : writeResponse(res, response)),
      () => failed(res),
    ).catch(() => failed(res));
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    // No body announced (most GETs): answer now, without waiting for the stream's end.
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
      answer(req, res, undefined);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => res.destroy());
    req.on('end', () => answer(req, res, chunks.length ? Buffer.concat(chunks) : undefined));
  };
  const server: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, onRequest) : createHttpServer(onRequest);
  server.on(tls ? 'secureConnection' : 'connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new EmulatorError('ERR_EMULATOR_LISTEN', `Could not listen on ${host}:${port}: ${err.message}. Pick another port (0 for an ephemeral one) or host.`, { cause: err })));
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  origin = `${scheme}://${urlHost}:${actualPort}`;
  for (const o of [origin, `${scheme}://localhost:${actualPort}`, `${scheme}://127.0.0.1:${actualPort}`]) origins.add(o);
  for (const o of origins) hooks.onListen(o);
  let closing: Promise<void> | undefined;
  return {
    url: origin,
    port: actualPort,
    ...(tls ? { ca: tls.ca } : {}),
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
