import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '@graphql-auth/test-kit/clock';
import type { AuthPayloadData } from '@graphql-auth/test-kit/operations';
import { startAuthTestServer, type AuthTestServer } from './test-support/auth-test-server.ts';
import {
  browserFetch,
  browserJar,
  collect,
  cookieClient,
  expireAccessToken,
  loginElsewhere,
  meQueries,
  quiet,
  rawGraphQL,
  signUp,
} from './test-support/clients.ts';

const REFRESH = 'AuthRefresh';

describe('when refreshing cannot help', () => {
  let server: AuthTestServer;
  beforeAll(async () => {
    server = await startAuthTestServer();
  });
  afterEach(() => {
    server.fault = undefined;
  });
  afterAll(() => server.close());

  it('stays logged in when the server does not confirm a logout (a 5xx), so a retry can still end the session', async () => {
    const { client, auth } = cookieClient(server);
    await signUp(client, auth);
    server.fault = (name) => (name === 'AuthLogout' ? 'server-error' : undefined);
    expect(await auth.logout()).toBe(false);
    expect(auth.getState().status).toBe('logged-in');
    const still = await client.query('query StillLoggedIn { me { id } }', {}).toPromise();
    expect(still.error, 'the session is alive on the server').toBeUndefined();

    server.fault = undefined;
    expect(await auth.logout()).toBe(true);
    expect(auth.getState()).toMatchObject({ status: 'logged-out', loggedOutReason: 'LOGGED_OUT' });
    const after = await client.query('query AfterLogout { me { id } }', {}).toPromise();
    expect(after.error?.graphQLErrors[0]?.extensions.reason).toBe('TOKEN_MISSING');
    auth.dispose();
  });

  it('checkSession learns of a revocation elsewhere before the app sends anything; checks made together share one request', async () => {
    const { client, auth } = cookieClient(server, { checkSessionOnReturn: false });
    const { account } = await signUp(client, auth);
    const before = server.count('AuthSessionCheck');
    expect((await auth.checkSession()).status).toBe('logged-in');
    const other = await loginElsewhere(server, account);
    await rawGraphQL(server, 'mutation { logoutAll(exceptCurrent: true) }', {}, other.accessToken!);

    const [first, second] = await Promise.all([auth.checkSession(), auth.checkSession()]);
    expect(first).toMatchObject({ status: 'logged-out', loggedOutReason: 'SESSION_REVOKED' });
    expect(second).toBe(first);
    expect(server.count('AuthSessionCheck') - before).toBe(2);
    expect(await auth.checkSession(), 'no request once logged out').toBe(first);
    expect(server.count('AuthSessionCheck') - before).toBe(2);
    auth.dispose();
  });

  it('fails every waiting operation once when the session was revoked, reports logged out, and refreshes no more until the next login', async () => {
    const { client, auth } = cookieClient(server);
    const { account } = await signUp(client, auth);
    // The user ends every other session from another device.
    const other = await loginElsewhere(server, account);
    await rawGraphQL(server, 'mutation { logoutAll(exceptCurrent: true) }', {}, other.accessToken!);
    expireAccessToken(server);
    const before = server.count(REFRESH);

    const watched = meQueries(10, 'Revoked').map((query) => collect(client.query(query, {})));
    const results = await Promise.all(watched.map((watch) => watch.settled()));
    await quiet();

    expect(server.count(REFRESH) - before).toBe(1);
    expect(server.requests.filter((entry) => entry.operationName === REFRESH).at(-1)?.reason).toBe('SESSION_REVOKED');
    for (const [index, result] of results.entries()) {
      expect(result.data).toBeUndefined();
      expect(result.error?.graphQLErrors[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
      expect(server.count(`Revoked${index}`)).toBe(1);
      expect(watched[index]!.results).toHaveLength(1);
    }
    expect(auth.getState()).toMatchObject({ status: 'logged-out', loggedOutReason: 'SESSION_REVOKED', user: null });

    // Even a server insisting on TOKEN_EXPIRED gets no refresh out of a logged-out client.
    server.fault = (name) => (name?.startsWith('After') ? 'token-expired' : undefined);
    const after = await Promise.all(meQueries(5, 'After').map((query) => client.query(query, {}).toPromise()));
    await quiet();
    expect(after.every((result) => result.error?.graphQLErrors[0]?.extensions.reason === 'TOKEN_EXPIRED')).toBe(true);
    expect(server.count(REFRESH) - before).toBe(1);
    for (let index = 0; index < 5; index += 1) expect(server.count(`After${index}`)).toBe(1);
    server.fault = undefined;

    // The next login makes refreshing possible again.
    const login = await client
      .mutation<{ login: AuthPayloadData }>('mutation AgainLogin($input: LoginInput!) { login(input: $input) { user { id } accessTokenExpiresAt refreshTokenExpiresAt } }', {
        input: { email: account.email, password: account.password },
      })
      .toPromise();
    await auth.setSession(login.data!.login);
    expect(auth.getState().status).toBe('logged-in');
    expireAccessToken(server);
    const again = await client.query<{ me: { id: string } }>('query AgainMe { me { id } }', {}).toPromise();
    expect(again.error).toBeUndefined();
    expect(server.count(REFRESH) - before).toBe(2);
    for (const watch of watched) watch.stop();
    auth.dispose();
  });

  it('tries each operation at most twice when the server keeps answering TOKEN_EXPIRED after a successful refresh', async () => {
    const { client, auth } = cookieClient(server);
    await signUp(client, auth);
    const before = server.count(REFRESH);
    const refreshedBefore = server.count(REFRESH, 200);
    server.fault = (name) => (name?.startsWith('Stuck') ? 'token-expired' : undefined);

    const watched = meQueries(10, 'Stuck').map((query) => collect(client.query(query, {})));
    const results = await Promise.all(watched.map((watch) => watch.settled()));
    await quiet(300);

    expect(server.count(REFRESH) - before).toBe(1);
    expect(server.count(REFRESH, 200) - refreshedBefore).toBe(1);
    for (const [index, result] of results.entries()) {
      expect(result.error?.graphQLErrors[0]?.extensions.reason).toBe('TOKEN_EXPIRED');
      expect(server.count(`Stuck${index}`)).toBe(2);
      expect(watched[index]!.results).toHaveLength(1);
    }
    // The refresh itself worked: the session stays.
    expect(auth.getState().status).toBe('logged-in');
    for (const watch of watched) watch.stop();
    auth.dispose();
  });

  it('does not refresh on errors other than TOKEN_EXPIRED: BAD_USER_INPUT, a 500, a network error', async () => {
    const jar = browserJar(server);
    const fetchOrFail: typeof fetch = (input, init) =>
      String(input).includes('Offline') ? Promise.reject(new TypeError('fetch failed')) : browserFetch(jar, server.config.publicOrigin)(input, init);
    const { client, auth } = cookieClient(server, { jar, fetch: fetchOrFail });
    await signUp(client, auth);
    const before = server.count(REFRESH);
    server.fault = (name) => (name === 'Boom' ? 'server-error' : undefined);

    const badInput = await client.mutation('mutation BadAvatar { updateProfile(avatarUrl: "not a url") { name } }', {}).toPromise();
    const serverError = await client.query('query Boom { me { id } }', {}).toPromise();
    const offline = await client.query('query Offline { me { id } }', {}).toPromise();
    await quiet();

    expect(badInput.error?.graphQLErrors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(serverError.error?.networkError).toBeDefined();
    expect(server.count('Boom', 500)).toBe(1);
    expect(offline.error?.networkError?.message).toBe('fetch failed');
    expect(server.count('Offline')).toBe(0);
    expect(server.count('BadAvatar')).toBe(1);
    expect(server.count(REFRESH) - before).toBe(0);
    expect(auth.getState().status).toBe('logged-in');
    auth.dispose();
  });

  it('does not refresh on other UNAUTHENTICATED reasons, and moves to logged out', async () => {
    const { client, auth } = cookieClient(server);
    const { account } = await signUp(client, auth);
    const other = await loginElsewhere(server, account);
    await rawGraphQL(server, 'mutation { logoutAll(exceptCurrent: true) }', {}, other.accessToken!);
    const before = server.count(REFRESH);

    // The access token is still fresh, so the server names the real reason.
    const revoked = await client.query('query RevokedMe { me { id } }', {}).toPromise();
    await quiet();

    expect(revoked.error?.graphQLErrors[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
    expect(server.count(REFRESH) - before).toBe(0);
    expect(auth.getState()).toMatchObject({ status: 'logged-out', loggedOutReason: 'SESSION_REVOKED' });
    auth.dispose();
  });

  it('never refreshes because of an error from refresh itself (no recursion)', async () => {
    const { client, auth } = cookieClient(server);
    await signUp(client, auth);
    const before = server.count(REFRESH);
    server.fault = (name) => (name === REFRESH || name?.startsWith('Loop') ? 'token-expired' : undefined);

    const watched = meQueries(5, 'Loop').map((query) => collect(client.query(query, {})));
    const results = await Promise.all(watched.map((watch) => watch.settled()));
    await quiet(300);

    expect(server.count(REFRESH) - before).toBe(1);
    for (const [index, result] of results.entries()) {
      expect(result.error?.graphQLErrors[0]?.extensions.reason).toBe('TOKEN_EXPIRED');
      expect(server.count(`Loop${index}`)).toBe(1);
      expect(watched[index]!.results).toHaveLength(1);
    }
    expect(auth.getState().status).toBe('logged-out');
    for (const watch of watched) watch.stop();
    auth.dispose();
  });

  it("does not refresh when the app's own refresh mutation fails with TOKEN_EXPIRED", async () => {
    const { client, auth } = cookieClient(server);
    await signUp(client, auth);
    const before = server.count(REFRESH);
    server.fault = (name) => (name === 'AppRefresh' ? 'token-expired' : undefined);

    const result = await client.mutation('mutation AppRefresh { refresh { accessTokenExpiresAt } }', {}).toPromise();
    await quiet();

    expect(result.error?.graphQLErrors[0]?.extensions.reason).toBe('TOKEN_EXPIRED');
    expect(server.count('AppRefresh')).toBe(1);
    expect(server.count(REFRESH) - before).toBe(0);
    auth.dispose();
  });

  it('fails waiting operations once on a transient refresh failure, keeps the session, and retries only after the delay', async () => {
    const clock = createTestClock({ start: server.clock.now() });
    const { client, auth } = cookieClient(server, { now: clock.now, refreshMarginMs: 0, retryDelayMs: 5_000 });
    await signUp(client, auth);
    expireAccessToken(server);
    const before = server.count(REFRESH);
    server.fault = (name) => (name === REFRESH ? 'server-error' : undefined);
    // The refresh fails only once all four have been answered TOKEN_EXPIRED, so all four wait for it.
    const hold = server.hold(REFRESH);

    const pending = Promise.all(meQueries(4, 'Outage').map((query) => client.query(query, {}).toPromise()));
    await hold.reached;
    while ([0, 1, 2, 3].some((index) => server.count(`Outage${index}`, 401) === 0)) await quiet(20);
    hold.release();
    const results = await pending;
    expect(results.every((result) => result.error?.networkError !== undefined)).toBe(true);
    expect(server.count(REFRESH) - before).toBe(1);
    expect(auth.getState().status).toBe('logged-in');

    // Within the delay a TOKEN_EXPIRED fails without a refresh.
    const during = await client.query('query DuringOutage { me { id } }', {}).toPromise();
    expect(during.error?.graphQLErrors[0]?.extensions.reason).toBe('TOKEN_EXPIRED');
    expect(server.count(REFRESH) - before).toBe(1);

    server.fault = undefined;
    clock.advance(5_001);
    const after = await client.query<{ me: { id: string } }>('query AfterOutage { me { id } }', {}).toPromise();
    expect(after.error).toBeUndefined();
    expect(server.count(REFRESH) - before).toBe(2);
    auth.dispose();
  });

  it('waits the retryAfter of a RATE_LIMITED refresh before refreshing again', async () => {
    const clock = createTestClock({ start: server.clock.now() });
    const { client, auth } = cookieClient(server, { now: clock.now, refreshMarginMs: 0 });
    await signUp(client, auth);
    expireAccessToken(server);
    const before = server.count(REFRESH);
    server.fault = (name) => (name === REFRESH ? 'rate-limited' : undefined);

    const limited = await Promise.all(meQueries(3, 'Limited').map((query) => client.query(query, {}).toPromise()));
    // Each fails once: with the refresh's RATE_LIMITED, or (a 401 that arrived after the refresh had
    // already failed, on a busy machine) with its own TOKEN_EXPIRED, not replayed during the backoff.
    const outcomes = limited.map((result) => result.error?.graphQLErrors[0]?.extensions);
    expect(outcomes.every((extensions) => extensions?.code === 'RATE_LIMITED' || extensions?.reason === 'TOKEN_EXPIRED')).toBe(true);
    expect(outcomes.some((extensions) => extensions?.code === 'RATE_LIMITED')).toBe(true);
    expect(auth.getState().status).toBe('logged-in');
    server.fault = undefined;

    clock.advance(29_000);
    const tooSoon = await client.query('query TooSoon { me { id } }', {}).toPromise();
    expect(tooSoon.error?.graphQLErrors[0]?.extensions.reason).toBe('TOKEN_EXPIRED');
    expect(server.count(REFRESH) - before).toBe(1);

    clock.advance(1_001);
    const later = await client.query('query LaterMe { me { id } }', {}).toPromise();
    expect(later.error).toBeUndefined();
    expect(server.count(REFRESH) - before).toBe(2);
    auth.dispose();
  });
});
