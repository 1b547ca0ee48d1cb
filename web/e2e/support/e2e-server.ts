import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';
import { createTestClock, type TestClock } from '@graphql-auth/test-kit/clock';
import { readOperation, recordOutcomes, type RequestOutcome } from '@graphql-auth/test-kit/request-outcomes';
import { startTestRelay, type TestRelay } from '@graphql-auth/test-kit/smtp-relay';
import { serveTestApp, type Config } from '@graphql-auth/test-kit/test-app';

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

export interface E2eServer {
  /** `http://127.0.0.1:<port>` (or `http://localhost:<port>`): the PUBLIC_ORIGIN, and the origin the browser uses. */
  origin: string;
  graphqlUrl: string;
  config: Config;
  /**
   * The server's clock: real time plus what the test moved it by, so access tokens expire at once
   * while the browser's own clock keeps running.
   */
  clock: TestClock;
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
  /**
   * The host the browser uses and PUBLIC_ORIGIN names: `localhost` for passkeys, since WebAuthn
   * refuses an IP address as the relying party; the server listens on 127.0.0.1 either way.
   */
  host?: '127.0.0.1' | 'localhost';
}

/**
 * The real app on a database of its own, serving the built web app and `/graphql` on one origin
 * (`http://127.0.0.1:<free port>`, which is also its PUBLIC_ORIGIN, so the Origin check passes),
 * with a request log, sending its email through a real SMTP relay in this process (unless
 * `devMailbox`). `env` overrides the test defaults.
 */
export async function startE2eServer(env: Record<string, string> = {}, { connectVia, devMailbox = false, host = '127.0.0.1' }: E2eServerOptions = {}): Promise<E2eServer> {
  const requests: RecordedRequest[] = [];
  const delays = new Map<string, number>();
  const mail = await startTestRelay();
  const server = await serveTestApp(
    ({ port }) => ({ LOG_LEVEL: 'warn', PUBLIC_ORIGIN: `http://${host}:${port}`, PORT: String(port), ...(devMailbox ? {} : { SMTP_URL: mail.url }), ...env }),
    {
      clock: createTestClock({ running: true }),
      webAppDir: WEB_DIST,
      plugins: [requestRecorder(requests, delays)],
      ...(connectVia ? { connectVia } : {}),
    },
  ).catch(async (error: unknown) => {
    await mail.stop();
    throw error;
  });
  const { config, clock, logs } = server;
  const origin = `http://${host}:${server.port}`;

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
      await server.close();
      await mail.stop();
    },
  };
}

/** Logs `account` in as a program would (bearer tokens, Node's User-Agent, no Origin): a session the browser does not hold. Returns its access token. */
export async function logInAsProgram(server: E2eServer, account: { email: string; password: string }): Promise<string> {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation ($input: LoginInput!) { login(input: $input, transport: BEARER) { accessToken } }',
      variables: { input: { email: account.email, password: account.password } },
    }),
  });
  const body = (await response.json()) as { data?: { login: { accessToken: string } }; errors?: unknown };
  if (!body.data) throw new Error(`the program's login failed: ${JSON.stringify(body.errors)}`);
  return body.data.login.accessToken;
}
