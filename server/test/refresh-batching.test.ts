import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { startPostgresProxy } from '@graphql-auth/test-kit/test-database';
import type { TcpProxy } from '@graphql-auth/test-kit/tcp-proxy';
import { codeOf, graphql, type GraphQLResponse } from '@graphql-auth/test-kit/graphql-request';
import { LOGIN, newAccount, REFRESH, signUpOverBearer, type Account, type AuthPayloadData } from '@graphql-auth/test-kit/operations';
import { hotPool, type HotPool } from '../src/database/hot-statements.ts';
import { recordingPool } from './support/recording-pool.ts';
import { createSessionRotator, rotateRefreshToken, type SessionRotator } from '../src/auth/session-store.ts';

const LOGOUT_ALL = 'mutation LogoutAll { logoutAll }';

const sessionIdOf = (refreshToken: string) => refreshToken.split('.')[0]!;

describe('refreshes that arrive together', () => {
  let t: TestApp;
  let pool: HotPool & { names: string[] };
  let rotate: SessionRotator;
  /** A connection of the test's own, standing for another transaction (another instance, a revocation). */
  let other: pg.Client;

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_LIMIT_ACCOUNT_IP: 'off', LOGIN_LIMIT_ACCOUNT: 'off', LOGIN_LIMIT_IP: 'off' });
    pool = recordingPool(hotPool(await t.orm.driver.getConnection().getNativeClient(), { prepared: true }));
    rotate = createSessionRotator(pool);
    other = new pg.Client({ connectionString: t.databaseUrl });
    await other.connect();
  });
  afterAll(async () => {
    await other.end();
    await t.close();
  });

  const refresh = (refreshToken: string) => rotateRefreshToken({ pool, rotate, em: () => t.orm.em.fork() }, refreshToken, { now: t.clock.now(), policy: t.config });

  /** `count` sessions of one account, by logging in over and over. */
  async function sessionsOf(account: Account, count: number): Promise<string[]> {
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) {
      const login = await graphql<{ login: AuthPayloadData }>(t.app, LOGIN, { variables: { input: { email: account.email, password: account.password }, transport: 'BEARER' } });
      tokens.push(login.data!.login.refreshToken!);
    }
    return tokens;
  }

  async function newSessions(count: number): Promise<string[]> {
    const { account } = await signUpOverBearer(t.app, newAccount());
    return sessionsOf(account, count);
  }

  it('rotates ten sessions in one statement, and each successor is the session’s own and refreshes again', async () => {
    const tokens = await newSessions(10);
    pool.names.length = 0;
    const results = await Promise.all(tokens.map(refresh));
    expect(pool.names).toEqual(['rotate-refresh-tokens']);
    const successors = results.map((result) => ('refreshToken' in result ? result.refreshToken : result.failure));
    expect(successors.map(sessionIdOf)).toEqual(tokens.map(sessionIdOf));
    expect(new Set(successors).size).toBe(10);

    const again = await Promise.all(successors.map(refresh));
    expect(again.map((result) => ('failure' in result ? result.failure : 'rotated'))).toEqual(Array(10).fill('rotated'));
  });

  it('rotates a session presented twice in one batch once, and both get the same successor', async () => {
    const [token] = await newSessions(1);
    pool.names.length = 0;
    const [first, second] = await Promise.all([refresh(token!), refresh(token!)]);
    expect(pool.names[0]).toBe('rotate-refresh-tokens');
    expect('refreshToken' in first! && 'refreshToken' in second! && first.refreshToken === second.refreshToken).toBe(true);
    const spent = await other.query('select count(*)::int as n from spent_refresh_tokens where session_id = $1', [sessionIdOf(token!)]);
    expect(spent.rows[0].n).toBe(1);
  });

  it('rotates the current token and ends the session for a spent one presented in the same batch (a thief racing the owner)', async () => {
    const [first] = await newSessions(1);
    const second = await refresh(first!);
    if (!('refreshToken' in second)) throw new Error(`the first rotation failed: ${second.failure}`);
    t.clock.advance(t.config.refreshGraceMs + 1000);
    const [forCurrent, forSpent] = await Promise.all([refresh(second.refreshToken), refresh(first!)]);
    expect('refreshToken' in forCurrent).toBe(true);
    expect(forSpent).toEqual({ failure: 'REFRESH_TOKEN_REUSED', revokedSessionId: sessionIdOf(first!) });
    const session = await other.query('select revoked_reason from sessions where id = $1', [sessionIdOf(first!)]);
    expect(session.rows[0].revoked_reason).toBe('refresh_token_reused');
  });

  it('refuses an unknown session and a token that is not current without holding up the rest of the batch', async () => {
    const [kept, stale] = await newSessions(2);
    const rotatedOnce = await refresh(stale!);
    expect('refreshToken' in rotatedOnce).toBe(true);
    t.clock.advance(t.config.refreshGraceMs + 1000);
    const unknown = `00000000-0000-4000-8000-000000000000.${'A'.repeat(43)}`;
    const [forKept, forUnknown, forStale] = await Promise.all([refresh(kept!), refresh(unknown), refresh(stale!)]);
    expect('refreshToken' in forKept!).toBe(true);
    expect(forUnknown).toEqual({ failure: 'REFRESH_TOKEN_INVALID' });
    expect(forStale).toMatchObject({ failure: 'REFRESH_TOKEN_REUSED' });
  });

  it('goes past a session another transaction holds, and rotates that one as soon as it is released', async () => {
    const [held, free] = await newSessions(2);
    await other.query('begin');
    await other.query('select 1 from sessions where id = $1 for update', [sessionIdOf(held!)]);
    let heldSettled = false;
    const forHeld = refresh(held!).finally(() => (heldSettled = true));
    const forFree = await refresh(free!);
    expect('refreshToken' in forFree).toBe(true);
    expect(heldSettled).toBe(false);
    await other.query('commit');
    expect('refreshToken' in (await forHeld)).toBe(true);
  });

  it('never waits for one session while holding another, so a transaction locking them the other way round does not deadlock', async () => {
    const [first, second] = await newSessions(2);
    await other.query('begin');
    await other.query('update sessions set last_used_at = now() where id = $1', [sessionIdOf(second!)]);
    const [forFirst, forSecond] = [refresh(first!), refresh(second!)];
    // A batch holding the first session while it waited for the second would never answer here.
    expect('refreshToken' in (await forFirst)).toBe(true);
    // And the other transaction can now take the first session too, closing no circle.
    await other.query('update sessions set last_used_at = now() where id = $1', [sessionIdOf(first!)]);
    await other.query('commit');
    expect('refreshToken' in (await forSecond)).toBe(true);
  });

  it('lets logoutAll end every session while refreshes of them are batched: each refresh is rotated or refused, none fails otherwise', async () => {
    for (let round = 0; round < 5; round++) {
      const { account, session } = await signUpOverBearer(t.app, newAccount());
      const tokens = await sessionsOf(account, 5);
      const [logoutAll, ...refreshes] = await Promise.all([
        graphql<{ logoutAll: number }>(t.app, LOGOUT_ALL, { token: session.accessToken! }),
        ...tokens.map((refreshToken) => graphql<{ refresh: AuthPayloadData }>(t.app, REFRESH, { variables: { refreshToken } })),
      ]);
      expect(logoutAll!.errors).toBeUndefined();
      const outcomes = refreshes.map((response) => (response.data?.refresh ? 'OK' : response.errors?.[0]?.extensions?.reason));
      for (const outcome of outcomes) expect(['OK', 'SESSION_REVOKED']).toContain(outcome);
      // Whatever was rotated before the logout is ended all the same.
      const successors = refreshes.flatMap((response: GraphQLResponse<{ refresh: AuthPayloadData }>) => response.data?.refresh.refreshToken ?? []);
      const after = await Promise.all(successors.map((refreshToken) => graphql(t.app, REFRESH, { variables: { refreshToken } })));
      for (const response of after) expect([codeOf(response), response.errors?.[0]?.extensions?.reason]).toEqual(['UNAUTHENTICATED', 'SESSION_REVOKED']);
    }
  });
});

describe('refreshes batched while the database is away', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  beforeAll(async () => {
    proxy = await startPostgresProxy();
    // No refresh limit, so every refresh reaches its rotation instead of failing at the counter.
    t = await createTestApp({ REFRESH_LIMIT_IP: 'off' }, { connectVia: proxy.via });
  });
  afterAll(async () => {
    proxy.restore();
    await t.close();
    await proxy.close();
  });

  it('fail together with SERVICE_UNAVAILABLE, leave every token as it was, and all rotate once it is back', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) tokens.push((await signUpOverBearer(t.app, newAccount())).session.refreshToken!);
    const pool = hotPool(await t.orm.driver.getConnection().getNativeClient(), { prepared: true });
    const rotate = createSessionRotator(pool);
    const refresh = (refreshToken: string) => rotateRefreshToken({ pool, rotate, em: () => t.orm.em.fork() }, refreshToken, { now: t.clock.now(), policy: t.config });

    proxy.cut();
    const together = await Promise.allSettled(tokens.map(refresh));
    expect(together.map((outcome) => outcome.status)).toEqual(Array(4).fill('rejected'));
    const overHttp = await Promise.all(tokens.map((refreshToken) => graphql(t.app, REFRESH, { variables: { refreshToken } })));
    expect(overHttp.map((response) => [response.status, codeOf(response)])).toEqual(Array(4).fill([503, 'SERVICE_UNAVAILABLE']));
    for (const response of overHttp) expect(response.text).not.toMatch(/select|sessions|unnest|ECONN/i);
    proxy.restore();

    let answers = await Promise.all(tokens.map((refreshToken) => graphql<{ refresh: AuthPayloadData }>(t.app, REFRESH, { variables: { refreshToken } })));
    for (let tries = 0; tries < 50 && answers.some((answer) => answer.status === 503); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answers = await Promise.all(tokens.map((refreshToken) => graphql<{ refresh: AuthPayloadData }>(t.app, REFRESH, { variables: { refreshToken } })));
    }
    expect(answers.map(codeOf)).toEqual(Array(4).fill('OK'));
  });
});
