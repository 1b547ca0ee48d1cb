import { createServer, type RequestListener, type Server } from 'node:http';
import type { Config } from '../config.ts';

const HEADERS_TIMEOUT_MS = 10_000;

/**
 * The Node HTTP server with every timeout set on purpose (Node's defaults let a stalled body hold a
 * socket for 5 minutes) and a cap on connections, so slow or idle clients cannot hold the server.
 */
export function createHttpServer(
  handler: RequestListener,
  { requestTimeoutMs, keepAliveTimeoutMs, maxConnections }: Pick<Config, 'requestTimeoutMs' | 'keepAliveTimeoutMs' | 'maxConnections'>,
): Server {
  const server = createServer(
    {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
      keepAliveTimeout: keepAliveTimeoutMs,
      // Node checks the two timeouts above only this often (30 s by default), which would stretch a short one.
      connectionsCheckingInterval: Math.min(1000, Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs) / 2),
    },
    handler,
  );
  server.maxConnections = maxConnections;
  return server;
}
