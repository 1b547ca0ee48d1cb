import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCookieJar, type GraphQLErrorBody } from './support/graphql-request.ts';
import { ME, newAccount, SIGNUP, type AuthPayloadData } from './support/operations.ts';
import { createTestDatabase } from './support/test-database.ts';

const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));
const READY_WITHIN_MS = 20_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

interface ServerProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

/** Starts `node src/main.ts` with only the given variables (and PATH), as an operator would. */
function startServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: SERVER_DIR,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** The exit, or `'still running'` when it takes longer than `ms`. */
async function exitWithin(server: ServerProcess, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'still running'>((resolve) => {
    timer = setTimeout(() => resolve('still running'), ms);
  });
  try {
    return await Promise.race([server.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `/readyz` until it answers 200; fails early if the process exits first. */
async function waitUntilReady(server: ServerProcess, base: string): Promise<number> {
  const started = Date.now();
  let exited = false;
  void server.exited.then(() => (exited = true));
  while (Date.now() - started < READY_WITHIN_MS) {
    if (exited) throw new Error(`The server exited before it was ready.\nstderr:\n${server.stderr()}\nstdout:\n${server.stdout()}`);
    try {
      const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`/readyz did not answer 200 within ${READY_WITHIN_MS} ms.\nstderr:\n${server.stderr()}\nstdout:\n${server.stdout()}`);
}

afterEach(() => {
  // A failed assertion must not leave a server behind.
  for (const child of running) child.kill('SIGKILL');
});

describe('the server entry point as a child process', () => {
  let database: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('starts on DATABASE_URL, serves signup and me over HTTP, and exits with code 0 on SIGTERM', { timeout: 40_000 }, async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = startServer({ DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', BCRYPT_COST: '4' });
    await waitUntilReady(server, base);

    const account = newAccount();
    const signup = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: SIGNUP, variables: { input: account } }),
    });
    const signupBody = (await signup.json()) as { data?: { signup: AuthPayloadData }; errors?: GraphQLErrorBody[] };
    expect(signupBody.errors).toBeUndefined();
    expect(signupBody.data?.signup.user.email).toBe(account.email);
    const jar = createCookieJar();
    jar.store(signup);
    expect(jar.names().sort()).toEqual(['access-token', 'device', 'refresh-token']);

    const me = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', cookie: jar.header() },
      body: JSON.stringify({ query: ME }),
    });
    expect(me.status).toBe(200);
    const meBody = (await me.json()) as { data?: { me: { id: string; email: string } }; errors?: GraphQLErrorBody[] };
    expect(meBody.errors).toBeUndefined();
    expect(meBody.data?.me).toMatchObject({ id: signupBody.data?.signup.user.id, email: account.email });

    server.child.kill('SIGTERM');
    const exit = await exitWithin(server, 5000);
    expect(exit, `stderr:\n${server.stderr()}`).toEqual({ code: 0, signal: null });
    expect(server.stdout()).toMatch(/shutting down/);
    expect(server.stdout()).toMatch(/"msg":"stopped"/);
    expect(server.stderr()).not.toMatch(/error|^\s+at /im);
  });

  describe('refuses an invalid configuration at start-up', () => {
    // Never reached when the configuration is refused; a closed port so nothing else is touched if it were.
    const unreachableDatabase = 'postgres://nobody@127.0.0.1:9/none';

    it('exits non-zero on ACCESS_TOKEN_TTL=banana, naming the variable without a stack trace', async () => {
      const server = startServer({ DATABASE_URL: unreachableDatabase, PORT: String(await freePort()), ACCESS_TOKEN_TTL: 'banana' });
      const exit = await exitWithin(server, 10_000);
      expect(exit).not.toBe('still running');
      expect(exit).toMatchObject({ signal: null });
      expect(exit === 'still running' ? null : exit.code).not.toBe(0);
      expect(server.stderr()).toMatch(/ACCESS_TOKEN_TTL/);
      expect(server.stderr()).toMatch(/banana/);
      expect(server.stderr()).not.toMatch(/^\s+at /m);
    });

    it('exits non-zero on NODE_ENV=production with BCRYPT_COST=4, naming the variable without a stack trace', async () => {
      const server = startServer({
        DATABASE_URL: unreachableDatabase,
        PORT: String(await freePort()),
        NODE_ENV: 'production',
        PUBLIC_ORIGIN: 'https://auth.example.com',
        BCRYPT_COST: '4',
      });
      const exit = await exitWithin(server, 10_000);
      expect(exit).not.toBe('still running');
      expect(exit).toMatchObject({ signal: null });
      expect(exit === 'still running' ? null : exit.code).not.toBe(0);
      expect(server.stderr()).toMatch(/BCRYPT_COST/);
      expect(server.stderr()).not.toMatch(/^\s+at /m);
    });
  });
});
