import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../../../server/src/config.ts';
import { startTestRelay, type TestRelay } from '../../../server/test/support/smtp-relay.ts';
import { createTestApp } from '../../../server/test/support/test-app.ts';
import { recordOutcomes, type RequestOutcome } from '../../src/auth/test-support/request-outcomes.ts';
// Declares what the global setup provides (`postgresAdminUrl`), which the test database reads.
import type {} from '../../../server/test/support/global-setup.ts';

/** The built web app, as `npm run test:e2e` leaves it. */
export const WEB_DIST = fileURLToPath(new URL('../../dist', import.meta.url));

/** One GraphQL request as the server saw it. */
export interface RecordedRequest extends RequestOutcome {
  operationName: string | null;
  /** The document's first characters, to tell anonymous operations (GraphiQL's) apart. */
  document: string;
  method: string;
  csrfHeader: boolean;
  origin: string | null;
  authorization: string | null;
}

/**
 * The server's clock: real time plus an offset the test can move forward, so access tokens expire
 * at once while the browser's own clock keeps running.
 */
export interface ShiftableClock {
  now(): Date;
  advance(ms: number): void;
}

/** A clock on real time, until `advance` moves it ahead. */
export function createShiftableClock(): ShiftableClock {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

export interface E2eServer {
  /** `http://127.0.0.1:<port>`: the PUBLIC_ORIGIN, and the origin the browser uses. */
  origin: string;
  graphqlUrl: string;
  config: Config;
  clock: ShiftableClock;
  requests: RecordedRequest[];
  /** Requests for `operationName` (optionally only those answered with `status`, or failing for `reason`). */
  count(operationName: string, filter?: { status?: number; reason?: string }): number;
  /** Holds every later request for `operationName` back by `ms` before the server runs it; 0 stops. */
  delay(operationName: string, ms: number): void;
  /** Moves the server's clock past the access token's lifetime and the 5 s clock-skew allowance. */
  expireAccessTokens(): void;
  /** What the app logged (JSON lines), for failure messages. */
  logs: string[];
  /**
   * The SMTP relay in this process that the app sends its email to (`SMTP_URL`): every message it
   * received, parsed. Empty when the app keeps its mail for the development mailbox instead.
   */
  mail: TestRelay;
  close(): Promise<void>;
}

async function readOperation(request: Request, url: URL): Promise<{ operationName: string | null; document: string }> {
  if (request.method === 'GET') {
    return { operationName: url.searchParams.get('operationName'), document: (url.searchParams.get('query') ?? '').slice(0, 200) };
  }
  try {
    const body: unknown = await request.clone().json();
    if (typeof body !== 'object' || body === null) return { operationName: null, document: '' };
    const operationName = 'operationName' in body && typeof body.operationName === 'string' ? body.operationName : null;
    const document = 'query' in body && typeof body.query === 'string' ? body.query.slice(0, 200) : '';
    return { operationName, document };
  } catch {
    return { operationName: null, document: '' };
  }
}

/**
 * Records every `/graphql` request with its answer, after the app's own checks (CSRF, Origin), and
 * holds back the operations named in `delays` for that many milliseconds.
 */
function requestRecorder(requests: RecordedRequest[], delays: Map<string, number>): Plugin {
  const byRequest = new WeakMap<Request, RecordedRequest>();
  return {
    async onRequest({ request, url }) {
      if (url.pathname !== '/graphql') return;
      const accept = request.headers.get('accept') ?? '';
      // GraphiQL's page itself is a GET for text/html, not an operation.
      if (request.method === 'GET' && accept.includes('text/html') && !url.searchParams.has('query')) return;
      const entry: RecordedRequest = {
        ...(await readOperation(request, url)),
        method: request.method,
        csrfHeader: request.headers.has('x-graphql-yoga-csrf'),
        origin: request.headers.get('origin'),
        authorization: request.headers.get('authorization'),
      };
      requests.push(entry);
      byRequest.set(request, entry);
      const delay = entry.operationName === null ? undefined : delays.get(entry.operationName);
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    },
    ...recordOutcomes(byRequest),
  };
}

export interface E2eServerOptions {
  /** Rewrites the database URL, e.g. through a proxy the test can cut. */
  connectVia?: (databaseUrl: string) => string;
  /** Without `SMTP_URL`: the app keeps its mail and shows it at `/dev/mail`, as in development. */
  devMailbox?: boolean;
}

/**
 * The real app on a database of its own, serving the built web app and `/graphql` on one origin
 * (`http://127.0.0.1:<free port>`, which is also its PUBLIC_ORIGIN, so the Origin check passes),
 * with a request log, sending its email through a real SMTP relay in this process (unless
 * `devMailbox`). `env` overrides the test defaults.
 */
export async function startE2eServer(env: Record<string, string> = {}, { connectVia, devMailbox = false }: E2eServerOptions = {}): Promise<E2eServer> {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const requests: RecordedRequest[] = [];
  const delays = new Map<string, number>();
  const mail = await startTestRelay();
  const server = await createTestApp(
    {
      LOG_LEVEL: 'warn',
      PUBLIC_ORIGIN: origin,
      PORT: String(port),
      ...(devMailbox ? {} : { SMTP_URL: mail.url }),
      ...env,
    },
    { clock: createShiftableClock(), webAppDir: WEB_DIST, plugins: [requestRecorder(requests, delays)], ...(connectVia ? { connectVia } : {}) },
  ).catch(async (error: unknown) => {
    await mail.stop();
    throw error;
  });
  const { config, clock, logs } = server;
  http.on('request', server.app);

  return {
    origin,
    graphqlUrl: `${origin}/graphql`,
    config,
    clock,
    requests,
    logs,
    mail,
    count: (operationName, { status, reason } = {}) =>
      requests.filter(
        (entry) =>
          entry.operationName === operationName &&
          (status === undefined || entry.status === status) &&
          (reason === undefined || entry.reason === reason),
      ).length,
    delay: (operationName, ms) => void (ms > 0 ? delays.set(operationName, ms) : delays.delete(operationName)),
    expireAccessTokens: () => clock.advance(config.accessTokenTtlMs + 6_000),
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await server.close();
      await mail.stop();
    },
  };
}
