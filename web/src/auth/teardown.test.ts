import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthTestServer, type AuthTestServer } from './test-support/auth-test-server.ts';
import { collect, cookieClient, expireAccessToken, meQueries, quiet, signUp } from './test-support/clients.ts';

const REFRESH = 'AuthRefresh';

describe('operations of a torn-down client', () => {
  let server: AuthTestServer;
  beforeAll(async () => {
    server = await startAuthTestServer();
  });
  afterAll(() => server.close());

  it('are not replayed after dispose(), even when the refresh they waited for succeeds', async () => {
    const { client, auth } = cookieClient(server);
    await signUp(client, auth);
    expireAccessToken(server);
    const hold = server.hold(REFRESH);

    const watched = meQueries(5, 'Disposed').map((query) => collect(client.query(query, {})));
    await hold.reached;
    await quiet();
    auth.dispose();
    hold.release();
    const results = await Promise.all(watched.map((watch) => watch.settled()));
    await quiet();

    expect(server.requests.filter((entry) => entry.operationName === REFRESH).at(-1)?.status).toBe(200);
    for (const [index, result] of results.entries()) {
      expect(result.data).toBeUndefined();
      expect(result.error?.networkError?.message).toBe('This auth client was disposed.');
      expect(server.count(`Disposed${index}`)).toBe(1);
      expect(watched[index]!.results).toHaveLength(1);
    }

    const afterwards = await client.query('query AfterDispose { me { id } }', {}).toPromise();
    expect(afterwards.error?.networkError?.message).toBe('This auth client was disposed.');
    expect(server.count('AfterDispose')).toBe(0);
    for (const watch of watched) watch.stop();
  });

  it('does not replay an operation its caller unsubscribed from while it waited for the refresh', async () => {
    const { client, auth } = cookieClient(server);
    await signUp(client, auth);
    expireAccessToken(server);
    const hold = server.hold(REFRESH);

    const abandoned = collect(client.query('query AbandonedMe { me { id } }', {}));
    const kept = collect(client.query<{ me: { id: string } }>('query KeptMe { me { id } }', {}));
    await hold.reached;
    await quiet();
    abandoned.stop();
    hold.release();
    const result = await kept.settled();
    await quiet();

    expect(result.data?.me.id).toBe(auth.getState().user?.id);
    expect(server.count('KeptMe')).toBe(2);
    expect(server.count('AbandonedMe')).toBe(1);
    expect(abandoned.results).toHaveLength(0);
    kept.stop();
    auth.dispose();
  });
});
