import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '@graphql-auth/test-kit/clock';
import { startAuthTestServer, type AuthTestServer } from './test-support/auth-test-server.ts';
import { browserJar, cookieClient, meQueries, quiet, signUp } from './test-support/clients.ts';
import { memoryTokenStorage, parseStoredSession, webTokenStorage } from './token-storage.ts';

const REFRESH = 'AuthRefresh';

describe('refreshing before expiry (willAuthError)', () => {
  let server: AuthTestServer;
  beforeAll(async () => {
    // A 5 s token: the client refreshes once less than half its life (2.5 s) is left.
    server = await startAuthTestServer({ ACCESS_TOKEN_TTL: '5s' });
  });
  afterAll(() => server.close());

  it('refreshes first when accessTokenExpiresAt is near, so the server sees no 401', async () => {
    const { client, auth } = cookieClient(server, { now: server.clock.now });
    await signUp(client, auth);
    const before = server.count(REFRESH);
    const expiresAt = auth.getState().accessTokenExpiresAt!;
    server.clock.advance(3_000);

    const results = await Promise.all(meQueries(5, 'Early').map((query) => client.query<{ me: { id: string } }>(query, {}).toPromise()));
    await quiet();

    expect(results.every((result) => result.data?.me.id === auth.getState().user?.id)).toBe(true);
    expect(server.count(REFRESH) - before).toBe(1);
    const refresh = server.requests.filter((entry) => entry.operationName === REFRESH).at(-1)!;
    expect(refresh.status).toBe(200);
    const early = server.requests.filter((entry) => entry.operationName?.startsWith('Early'));
    expect(early).toHaveLength(5);
    expect(early.every((entry) => entry.status === 200 && entry.seq > refresh.seq)).toBe(true);
    expect(server.requests.filter((entry) => entry.status === 401)).toEqual([]);
    expect(auth.getState().accessTokenExpiresAt!.getTime()).toBeGreaterThan(expiresAt.getTime());
    auth.dispose();
  });

  it('sends resetPassword as it is, with the token near expiry: a session mutation never refreshes first', async () => {
    const { client, auth } = cookieClient(server, { now: server.clock.now });
    await signUp(client, auth);
    const before = server.count(REFRESH);
    server.clock.advance(3_000);

    const reset = await client
      .mutation('mutation ResetPassword($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) { accessTokenExpiresAt } }', {
        token: 'not-a-link-the-server-sent',
        newPassword: 'long enough password',
      })
      .toPromise();
    expect(reset.error?.graphQLErrors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    expect(server.count(REFRESH) - before, 'nothing refreshed on its way').toBe(0);
    // Any other operation at that moment refreshes first.
    const me = await client.query('query DueNow { me { id } }', {}).toPromise();
    expect(me.error).toBeUndefined();
    expect(server.count(REFRESH) - before).toBe(1);
    auth.dispose();
  });

  it.each([
    ['completeLogin', 'mutation CompleteLogin($c: String!) { completeLogin(challenge: $c, code: "123456") { accessTokenExpiresAt } }', { c: 'not-a-challenge' }, 'INVALID_CREDENTIALS'],
    ['loginWithPasskey', 'mutation LoginWithPasskey($r: String!) { loginWithPasskey(response: $r) { accessTokenExpiresAt } }', { r: '{}' }, 'BAD_USER_INPUT'],
  ])('sends %s as it is, with the token near expiry, and does not refresh on its error', async (_name, document, variables, code) => {
    const { client, auth } = cookieClient(server, { now: server.clock.now });
    await signUp(client, auth);
    const before = server.count(REFRESH);
    server.clock.advance(3_000);
    const result = await client.mutation(document, variables).toPromise();
    expect(result.error?.graphQLErrors[0]?.extensions).toMatchObject({ code });
    expect(server.count(REFRESH) - before, 'nothing refreshed on its way or after').toBe(0);
    auth.dispose();
  });

  it('does not refresh early while the token has more than the margin left', async () => {
    const { client, auth } = cookieClient(server, { now: server.clock.now });
    await signUp(client, auth);
    const before = server.count(REFRESH);
    server.clock.advance(1_000);
    const result = await client.query('query StillFresh { me { id } }', {}).toPromise();
    expect(result.error).toBeUndefined();
    expect(server.count(REFRESH) - before).toBe(0);
    auth.dispose();
  });

  it('does not refresh per operation while logged out, however expired the last session looks', async () => {
    const { client, auth } = cookieClient(server, { now: server.clock.now });
    await signUp(client, auth);
    expect(await auth.logout()).toBe(true);
    expect(auth.getState()).toMatchObject({ status: 'logged-out', loggedOutReason: 'LOGGED_OUT' });
    const before = server.count(REFRESH);
    server.clock.advance(60_000);

    const results = await Promise.all(meQueries(6, 'Out').map((query) => client.query(query, {}).toPromise()));
    await quiet();

    expect(results.every((result) => result.error?.graphQLErrors[0]?.extensions.reason === 'TOKEN_MISSING')).toBe(true);
    expect(server.count(REFRESH) - before).toBe(0);
    for (let index = 0; index < 6; index += 1) expect(server.count(`Out${index}`)).toBe(1);
    auth.dispose();
  });

  it('does not refresh before every operation when the client clock runs ahead of the server', async () => {
    const clock = createTestClock({ start: server.clock.now().getTime() + 3_600_000 });
    const { client, auth } = cookieClient(server, { now: clock.now });
    await signUp(client, auth);
    const before = server.count(REFRESH);

    const results = await Promise.all(meQueries(4, 'Ahead').map((query) => client.query(query, {}).toPromise()));
    await quiet();

    expect(results.every((result) => result.error === undefined)).toBe(true);
    expect(server.count(REFRESH) - before).toBe(0);
    auth.dispose();
  });

  it('refreshes first after a reload when the stored session expired while the page was closed', async () => {
    const jar = browserJar(server);
    const saved = new Map<string, string>();
    const localStorage = { getItem: (key: string) => saved.get(key) ?? null, setItem: (key: string, value: string) => void saved.set(key, value), removeItem: (key: string) => void saved.delete(key) };
    const closedTab = cookieClient(server, { jar, now: server.clock.now, storage: webTokenStorage(localStorage) });
    await signUp(closedTab.client, closedTab.auth);
    closedTab.auth.dispose();
    // Only expiry times and the user were stored, never a token.
    expect(parseStoredSession(JSON.parse(saved.get('graphql-auth.session')!))).toMatchObject({ accessToken: null, refreshToken: null });
    server.clock.advance(60_000);
    const refreshes = server.count(REFRESH);

    const reloaded = cookieClient(server, { jar, now: server.clock.now, storage: webTokenStorage(localStorage) });
    const result = await reloaded.client.query<{ me: { id: string } }>('query ReloadedMe { me { id } }', {}).toPromise();

    expect(result.data?.me.id).toBe(closedTab.auth.getState().user?.id);
    expect(server.count(REFRESH) - refreshes).toBe(1);
    expect(server.count('ReloadedMe')).toBe(1);
    expect(server.count('ReloadedMe', 200)).toBe(1);
    reloaded.auth.dispose();
  });

  it('starts unknown without a stored session and learns the state from the first answer', async () => {
    const { client, auth } = cookieClient(server, { now: server.clock.now, storage: memoryTokenStorage() });
    expect(auth.getState().status).toBe('unknown');
    const result = await client.query('query NobodyMe { me { id } }', {}).toPromise();
    expect(result.error?.graphQLErrors[0]?.extensions.reason).toBe('TOKEN_MISSING');
    expect(auth.getState()).toMatchObject({ status: 'logged-out', loggedOutReason: 'TOKEN_MISSING' });
    auth.dispose();
  });
});
