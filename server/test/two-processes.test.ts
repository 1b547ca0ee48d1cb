import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@graphql-auth/test-kit/test-database';
import { freePort } from '@graphql-auth/test-kit/free-port';
import { killServerProcesses, startServerProcess, waitUntilReady, type ServerProcess } from '@graphql-auth/test-kit/server-process';
import { LOGIN, LOGOUT, ME, newAccount, REFRESH, SIGNUP } from '@graphql-auth/test-kit/operations';

interface Answer {
  status: number;
  data?: Record<string, Record<string, unknown> | null> | null;
  errors?: { extensions?: { code?: string; reason?: string } }[];
}

async function post(server: ServerProcess, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Answer> {
  const response = await fetch(`${server.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
}

/**
 * Two real server processes on one database, with no proxy in front: the service keeps no state
 * of its own beyond PostgreSQL, so whichever instance a request reaches answers the same.
 */
describe('two server processes on one database', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: ServerProcess;
  let b: ServerProcess;
  beforeAll(async () => {
    database = await createTestDatabase();
    // Instances behind one address share PUBLIC_ORIGIN: it is the tokens' issuer and audience.
    const env = { DATABASE_URL: database.url, PUBLIC_ORIGIN: 'http://localhost:4000', BCRYPT_COST: '4', LOG_LEVEL: 'warn' };
    a = startServerProcess({ ...env, PORT: String(await freePort()) });
    await waitUntilReady(a);
    b = startServerProcess({ ...env, PORT: String(await freePort()) });
    await waitUntilReady(b);
  }, 60_000);
  afterAll(async () => {
    for (const server of [a, b]) server?.child.kill('SIGTERM');
    await Promise.all([a?.exited, b?.exited]);
    killServerProcesses();
    await database.drop();
  });

  it('accepts on B a login made on A', async () => {
    const account = newAccount();
    await post(a, SIGNUP, { input: account });
    const login = await post(a, LOGIN, { input: { email: account.email, password: account.password }, transport: 'BEARER' });
    const me = await post(b, ME, {}, login.data!.login!.accessToken as string);
    expect(me.data?.me?.email).toBe(account.email);
  });

  it('rotates once when a refresh race is split across A and B, and every caller gets the same successor', async () => {
    const signup = await post(a, SIGNUP, { input: newAccount(), transport: 'BEARER' });
    const refreshToken = signup.data!.signup!.refreshToken as string;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => post(index % 2 ? a : b, REFRESH, { refreshToken })));
    expect(answers.map((answer) => answer.errors)).toEqual(Array(20).fill(undefined));
    const successors = new Set(answers.map((answer) => answer.data!.refresh!.refreshToken));
    expect(successors.size).toBe(1);
    expect([...successors][0]).not.toBe(refreshToken);
  });

  it('enforces on B within a second a logout made on A', async () => {
    const signup = await post(a, SIGNUP, { input: newAccount(), transport: 'BEARER' });
    const { accessToken, refreshToken } = signup.data!.signup! as { accessToken: string; refreshToken: string };
    expect((await post(b, ME, {}, accessToken)).status).toBe(200);

    await post(a, LOGOUT, { refreshToken });
    const started = performance.now();
    let reason: string | undefined;
    while (performance.now() - started < 3000 && reason !== 'SESSION_REVOKED') {
      reason = (await post(b, ME, {}, accessToken)).errors?.[0]?.extensions?.reason;
    }
    expect(reason).toBe('SESSION_REVOKED');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('shares the failed-login counters between A and B', async () => {
    const account = newAccount();
    await post(a, SIGNUP, { input: account });
    const wrong = { input: { email: account.email, password: 'wrong password' } };
    for (const server of [a, b, a, b, a]) expect((await post(server, LOGIN, wrong)).errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    const sixth = await post(b, LOGIN, wrong);
    expect(sixth.status).toBe(429);
    expect(sixth.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});
