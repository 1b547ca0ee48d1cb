import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient } from './create-auth-client.ts';
import { startAuthTestServer, type AuthTestServer } from './test-support/auth-test-server.ts';
import { createTestClock } from '@graphql-auth/test-kit/clock';
import { collect, cookieClient, expireAccessToken, meQueries, quiet, signUp } from './test-support/clients.ts';
import type { Session } from './session-store.ts';
import { memoryTokenStorage, type TokenStorage } from './token-storage.ts';

const REFRESH = 'AuthRefresh';

/** Memory storage that also records what the client saved, as an app's adapter (a file, a keychain) would keep it. */
function recordingStorage(initial: Session | null = null) {
  const inner = memoryTokenStorage(initial);
  const saved: Session[] = [];
  let cleared = 0;
  const storage: TokenStorage = {
    load: () => inner.load(),
    save(session) {
      saved.push(session);
      return inner.save(session);
    },
    clear() {
      cleared += 1;
      return inner.clear();
    },
  };
  return { storage, saved, cleared: () => cleared };
}

describe('bearer transport (a Node program, no cookies)', () => {
  let server: AuthTestServer;
  beforeAll(async () => {
    server = await startAuthTestServer();
  });
  afterAll(() => server.close());

  const bearerClient = (storage: TokenStorage) =>
    createAuthClient({
      url: server.url,
      transport: 'bearer',
      storage,
      now: createTestClock({ start: server.clock.now() }).now,
      requestPolicy: 'network-only',
    });

  it('keeps the tokens, sends them in Authorization, rotates them on refresh, and hands them to the storage adapter', async () => {
    const { storage, saved, cleared } = recordingStorage();
    const { client, auth } = bearerClient(storage);
    const { payload } = await signUp(client, auth, { transport: 'BEARER' });
    expect(payload.accessToken).toBeTruthy();
    expect(saved.at(-1)).toMatchObject({ accessToken: payload.accessToken, refreshToken: payload.refreshToken });

    const fresh = await client.query<{ me: { id: string } }>('query BearerMe { me { id } }', {}).toPromise();
    expect(fresh.data?.me.id).toBe(payload.user.id);
    expect(server.requests.find((entry) => entry.operationName === 'BearerMe')?.authorization).toBe(`Bearer ${payload.accessToken}`);

    expireAccessToken(server);
    const before = server.count(REFRESH);
    const watched = meQueries(10, 'BearerLater').map((query) => collect(client.query<{ me: { id: string } }>(query, {})));
    const results = await Promise.all(watched.map((watch) => watch.settled()));
    await quiet();

    expect(results.every((result) => result.data?.me.id === payload.user.id)).toBe(true);
    expect(server.count(REFRESH) - before).toBe(1);
    const rotated = saved.at(-1)!;
    expect(rotated.accessToken).not.toBe(payload.accessToken);
    expect(rotated.refreshToken).not.toBe(payload.refreshToken);
    const refresh = server.requests.filter((entry) => entry.operationName === REFRESH).at(-1)!;
    // The refresh token travels as the argument; the expired access token is not sent along.
    expect(refresh.authorization).toBeNull();
    const replays = server.requests.filter((entry) => entry.operationName?.startsWith('BearerLater') && entry.status === 200);
    expect(replays).toHaveLength(10);
    expect(replays.every((entry) => entry.authorization === `Bearer ${rotated.accessToken}`)).toBe(true);
    expect(server.requests.every((entry) => entry.cookie === null)).toBe(true);

    expect(await auth.logout()).toBe(true);
    expect(auth.getState().status).toBe('logged-out');
    expect(cleared()).toBe(1);
    const afterLogout = await client.query('query BearerGone { me { id } }', {}).toPromise();
    expect(afterLogout.error?.graphQLErrors[0]?.extensions.reason).toBe('TOKEN_MISSING');
    for (const watch of watched) watch.stop();
    auth.dispose();
  });

  it('picks the session up from the storage adapter when the program starts again', async () => {
    const first = recordingStorage();
    const firstRun = bearerClient(first.storage);
    const { payload } = await signUp(firstRun.client, firstRun.auth, { transport: 'BEARER' });
    firstRun.auth.dispose();

    const { storage, saved } = recordingStorage(first.saved.at(-1)!);
    const { client, auth } = bearerClient(storage);
    const result = await client.query<{ me: { id: string } }>('query RestartedMe { me { id } }', {}).toPromise();
    expect(result.data?.me.id).toBe(payload.user.id);
    expect(auth.getState()).toMatchObject({ status: 'logged-in', user: { id: payload.user.id } });
    expect(server.requests.find((entry) => entry.operationName === 'RestartedMe')?.authorization).toBe(`Bearer ${payload.accessToken}`);

    expireAccessToken(server);
    const later = await client.query<{ me: { id: string } }>('query RestartedLater { me { id } }', {}).toPromise();
    expect(later.error).toBeUndefined();
    expect(saved.at(-1)?.refreshToken).not.toBe(payload.refreshToken);
    auth.dispose();
  });

  it('refuses a payload that does not fit the transport', async () => {
    const accessTokenExpiresAt = new Date().toISOString();
    const bearer = bearerClient(memoryTokenStorage());
    await expect(bearer.auth.setSession({ accessTokenExpiresAt, accessToken: null, refreshToken: null })).rejects.toThrow(TypeError);
    const cookie = cookieClient(server);
    await expect(cookie.auth.setSession({ accessTokenExpiresAt, accessToken: 'a', refreshToken: 'r' })).rejects.toThrow(TypeError);
    expect(bearer.auth.getState().status).toBe('unknown');
    expect(cookie.auth.getState().status).toBe('unknown');
    bearer.auth.dispose();
    cookie.auth.dispose();
  });
});
