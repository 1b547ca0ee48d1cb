import type { Plugin } from 'graphql-yoga';
import type { TestClock } from '@graphql-auth/test-kit/clock';
import { readOperation, recordOutcomes, type RequestOutcome } from '@graphql-auth/test-kit/request-outcomes';
import { serveTestApp, type Config } from '@graphql-auth/test-kit/test-app';

/** One GraphQL request as the server saw it. */
export interface LoggedRequest extends RequestOutcome {
  /** Order of arrival, from 1. */
  seq: number;
  operationName: string | null;
  method: string;
  csrfHeader: boolean;
  authorization: string | null;
  cookie: string | null;
}

/** An answer the test makes the server give instead of running the operation. */
export type Fault = 'token-expired' | 'server-error' | 'rate-limited';

export interface Hold {
  /** Resolves when the first held request arrived. */
  reached: Promise<void>;
  release(): void;
}

export interface AuthTestServer {
  /** `http://127.0.0.1:<port>/graphql`. */
  url: string;
  config: Config;
  /** The server's clock; move it to expire tokens without sleeping. */
  clock: TestClock;
  requests: LoggedRequest[];
  /** Requests for an operation, optionally only those answered with `status`. */
  count(operationName: string, status?: number): number;
  /** Decides, per operation name, whether to answer with a fault instead; cleared with `undefined`. */
  fault: ((operationName: string | null) => Fault | undefined) | undefined;
  /** Keeps requests for `operationName` waiting at the server until released. */
  hold(operationName: string): Hold;
  close(): Promise<void>;
}

function faultResponse(fault: Fault): Response {
  if (fault === 'server-error') return new Response('Internal Server Error', { status: 500, headers: { 'content-type': 'text/plain' } });
  if (fault === 'rate-limited') {
    return Response.json({ errors: [{ message: 'Too many attempts.', extensions: { code: 'RATE_LIMITED', retryAfter: 30 } }] }, { status: 429 });
  }
  return Response.json(
    { errors: [{ message: 'The access token has expired; refresh it.', extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' } }] },
    { status: 401 },
  );
}

/** The real app on its own database, served over HTTP on a free port, with a request log and fault hooks. */
export async function startAuthTestServer(env: Record<string, string> = {}): Promise<AuthTestServer> {
  const requests: LoggedRequest[] = [];
  const byRequest = new WeakMap<Request, LoggedRequest>();
  const holds = new Map<string, { gate: Promise<void>; arrived(): void }>();
  let fault: AuthTestServer['fault'];

  const recorder: Plugin = {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== '/graphql') return;
      const { operationName } = await readOperation(request, url);
      const entry: LoggedRequest = {
        seq: requests.length + 1,
        operationName,
        method: request.method,
        csrfHeader: request.headers.has('x-graphql-yoga-csrf'),
        authorization: request.headers.get('authorization'),
        cookie: request.headers.get('cookie'),
      };
      requests.push(entry);
      byRequest.set(request, entry);
      const held = operationName === null ? undefined : holds.get(operationName);
      if (held) {
        held.arrived();
        await held.gate;
      }
      const answer = fault?.(operationName);
      if (answer) {
        if (answer === 'token-expired') entry.reason = 'TOKEN_EXPIRED';
        endResponse(faultResponse(answer));
      }
    },
    ...recordOutcomes(byRequest),
  };

  // The app's own CSRF prevention and Origin check stay in force; the recorder runs after them.
  const server = await serveTestApp(
    // The default limits stay on here (createTestApp turns sign-up and refresh limits off).
    { LOG_LEVEL: 'warn', ACCESS_TOKEN_TTL: '5s', SIGNUP_LIMIT_IP: '20/1h', REFRESH_LIMIT_IP: '600/1m', ...env },
    { plugins: [recorder] },
  );
  const { config, clock } = server;

  return {
    url: `${server.origin}/graphql`,
    config,
    clock,
    requests,
    count: (name, status) => requests.filter((entry) => entry.operationName === name && (status === undefined || entry.status === status)).length,
    get fault() {
      return fault;
    },
    set fault(decide) {
      fault = decide;
    },
    hold(operationName) {
      let release = () => {};
      let arrived = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const reached = new Promise<void>((resolve) => (arrived = resolve));
      holds.set(operationName, { gate, arrived });
      return {
        reached,
        release() {
          holds.delete(operationName);
          release();
        },
      };
    },
    close: () => server.close(),
  };
}
