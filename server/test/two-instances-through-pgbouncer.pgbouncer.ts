import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { expectUnauthenticated, graphql } from '@graphql-auth/test-kit/graphql-request';
import { startPgBouncer, type PgBouncer } from './support/pgbouncer.ts';
import { postgresAdminUrl } from '@graphql-auth/test-kit/test-database';
import { LOGIN, LOGOUT, ME, newAccount, REFRESH, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';
import { hotPool } from '../src/database/hot-statements.ts';
import { recordingPool } from './support/recording-pool.ts';
import { createSessionRotator, rotateRefreshToken } from '../src/auth/session-store.ts';

/**
 * Two instances whose DATABASE_URL goes through PgBouncer in transaction pooling mode, with
 * DATABASE_DIRECT_URL for LISTEN/NOTIFY and migrations: what breaks behind such a pooler (session
 * prepared statements, LISTEN) must not, and the two-instance guarantees must hold.
 */
describe('two instances through PgBouncer in transaction mode', () => {
  let pgbouncer: PgBouncer;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    pgbouncer = await startPgBouncer(postgresAdminUrl());
    a = await createTestApp({}, { pooledVia: (url) => pgbouncer.pooled(url) });
    b = await a.createPeer();
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await pgbouncer?.stop();
  });

  it('runs the hot statements through the pooler and keeps LISTEN on the direct connection', () => {
    expect(a.config.databaseUrl).toContain(`:${pgbouncer.port}/`);
    expect(a.config.databaseDirectUrl).not.toContain(`:${pgbouncer.port}/`);
  });

  it('lets a login on one instance work on the other, many times over (no prepared statement goes missing)', async () => {
    const account = newAccount();
    await graphql(a.app, SIGNUP, { variables: { input: account, transport: 'BEARER' } });
    for (let round = 0; round < 10; round++) {
      const login = await graphql<{ login: AuthPayloadData }>(a.app, LOGIN, { variables: { input: { email: account.email, password: account.password }, transport: 'BEARER' } });
      expect(login.errors, JSON.stringify(login.errors)).toBeUndefined();
      const answers = await Promise.all([a, b].flatMap((instance) => [1, 2, 3].map(() => graphql<{ me: { email: string } }>(instance.app, ME, { token: login.data!.login.accessToken! }))));
      for (const me of answers) expect(me.data?.me.email).toBe(account.email);
    }
  });

  it('rotates once for 20 refreshes of one session split across the two, all getting the same successor', async () => {
    const signup = await graphql<{ signup: AuthPayloadData }>(a.app, SIGNUP, { variables: { input: newAccount(), transport: 'BEARER' } });
    const refreshToken = signup.data!.signup.refreshToken!;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) => graphql<{ refresh: AuthPayloadData }>((index % 2 ? a : b).app, REFRESH, { variables: { refreshToken } })),
    );
    expect(answers.map((answer) => answer.errors)).toEqual(Array(20).fill(undefined));
    expect(new Set(answers.map((answer) => answer.data!.refresh.refreshToken)).size).toBe(1);
  });

  it('rotates many sessions in one unnamed statement through the pooler, on either instance', async () => {
    const sessions = await Promise.all(
      Array.from({ length: 8 }, () => graphql<{ signup: AuthPayloadData }>(a.app, SIGNUP, { variables: { input: newAccount(), transport: 'BEARER' } })),
    );
    let tokens = sessions.map((signup) => signup.data!.signup.refreshToken!);
    for (const instance of [a, b]) {
      // The instance's own pool as the app sets it up behind a pooler, noting what it runs.
      const pool = recordingPool(hotPool(await instance.orm.driver.getConnection().getNativeClient(), { prepared: false }));
      const rotate = createSessionRotator(pool);
      const refresh = (token: string) => rotateRefreshToken({ pool, rotate, em: () => instance.orm.em.fork() }, token, { now: instance.clock.now(), policy: instance.config });
      const results = await Promise.all(tokens.map(refresh));
      expect(pool.names).toEqual(['rotate-refresh-tokens']);
      tokens = results.map((result) => ('refreshToken' in result ? result.refreshToken : result.failure));
      expect(tokens.every((token) => token.includes('.'))).toBe(true);
    }
  });

  it('rejects a session logged out on one instance on the other within a second', async () => {
    const signup = await graphql<{ signup: AuthPayloadData }>(a.app, SIGNUP, { variables: { input: newAccount(), transport: 'BEARER' } });
    const { accessToken, refreshToken } = signup.data!.signup;
    expect((await graphql(b.app, ME, { token: accessToken! })).status).toBe(200);
    await graphql(a.app, LOGOUT, { variables: { refreshToken } });
    const loggedOutAt = performance.now();
    let answer = await graphql(b.app, ME, { token: accessToken! });
    while (answer.status === 200 && performance.now() - loggedOutAt < 1000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer = await graphql(b.app, ME, { token: accessToken! });
    }
    expectUnauthenticated(answer, 'SESSION_REVOKED');
  });
});
