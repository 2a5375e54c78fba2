/** A tiny fake Auth0 on node:http (127.0.0.1, port 0) for the undici transport, which msw cannot see. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  /** The raw request target, exactly as sent on the wire. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  socket: number;
}

export type Handler = (req: Seen, res: ServerResponse) => void;

export async function startLoopback() {
  const seen: Seen[] = [];
  let handler: Handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  };
  const sockets = new Map<object, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let id = sockets.get(req.socket);
      if (id === undefined) {
        id = sockets.size + 1;
        sockets.set(req.socket, id);
      }
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), socket: id };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    seen,
    setHandler(h: Handler) {
      handler = h;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
