import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Node HTTP server on a free port of 127.0.0.1. */
export interface Listening {
  server: Server;
  port: number;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** Drops the open connections (keep-alive ones too) and stops listening. */
  close(): Promise<void>;
}

/** Makes `server` (a bare one by default, to attach a handler once the port is known) listen on a free port of 127.0.0.1. */
export async function listenOnFreePort(server: Server = createServer()): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    origin: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
