import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TabOptions } from './tab-lock.ts';
import { startAuthTestServer, type AuthTestServer } from './test-support/auth-test-server.ts';
import {
  browserJar,
  collect,
  cookieClient,
  expireAccessToken,
  loginElsewhere,
  meQueries,
  quiet,
  rawGraphQL,
  signUp,
  type TestClient,
} from './test-support/clients.ts';

const REFRESH = 'AuthRefresh';

/** Two tabs of one browser: one cookie jar, each tab its own lock and channel under the same name. */
function twoTabs(server: AuthTestServer, tabs: TabOptions | false): [TestClient, TestClient] {
  const jar = browserJar(server);
  return [cookieClient(server, { jar, tabs }), cookieClient(server, { jar, tabs })];
}

async function bothWakeUp(server: AuthTestServer, tabs: [TestClient, TestClient], prefix: string) {
  const watched = tabs.flatMap((tab, index) => meQueries(5, `${prefix}${index}_`).map((query) => collect(tab.client.query<{ me: { id: string } }>(query, {}))));
  const results = await Promise.all(watched.map((watch) => watch.settled()));
  await quiet();
  for (const watch of watched) watch.stop();
  return results;
}

async function sessionsOf(tab: TestClient) {
  const result = await tab.client.query<{ sessions: { id: string; current: boolean }[] }>('query TabSessions { sessions { id current } }', {}).toPromise();
  return result.data?.sessions;
}

describe('two tabs sharing one cookie jar', () => {
  let server: AuthTestServer;
  beforeAll(async () => {
    server = await startAuthTestServer({ REFRESH_GRACE: '2s' });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });
  afterAll(() => server.close());

  it('with Web Locks: both tabs hit expiry together, one refresh, one valid session', async () => {
    const tabs = twoTabs(server, { name: `tabs-${crypto.randomUUID()}` });
    const [first, second] = tabs;
    await signUp(first.client, first.auth);
    await quiet(50);
    // The other tab heard about the login.
    expect(second.auth.getState()).toMatchObject({ status: 'logged-in', user: first.auth.getState().user });
    expireAccessToken(server);
    const before = server.count(REFRESH);

    const results = await bothWakeUp(server, tabs, 'Locks');

    expect(results.every((result) => result.data?.me.id === first.auth.getState().user?.id)).toBe(true);
    expect(server.count(REFRESH) - before).toBe(1);
    expect(server.requests.some((entry) => entry.reason === 'REFRESH_TOKEN_REUSED')).toBe(false);
    expect(second.auth.getState().accessTokenExpiresAt).toEqual(first.auth.getState().accessTokenExpiresAt);
    expect(await sessionsOf(first)).toHaveLength(1);
    for (const tab of tabs) tab.auth.dispose();
  });

  it('without Web Locks (a page outside a secure context): the tabs still hear each other, each refreshes, the grace window gives both one successor', async () => {
    // The lock is looked up when a tab starts: these two start on a page without `navigator.locks`.
    vi.stubGlobal('navigator', {});
    const tabs = twoTabs(server, { name: `tabs-${crypto.randomUUID()}` });
    vi.unstubAllGlobals();
    const [first, second] = tabs;
    await signUp(first.client, first.auth);
    await quiet(50);
    expect(second.auth.getState()).toMatchObject({ status: 'logged-in', user: first.auth.getState().user });
    expireAccessToken(server);
    const before = server.count(REFRESH);

    const results = await bothWakeUp(server, tabs, 'NoLocks');

    expect(results.every((result) => result.error === undefined)).toBe(true);
    expect(server.count(REFRESH) - before).toBeGreaterThanOrEqual(1);
    expect(server.count(REFRESH) - before).toBeLessThanOrEqual(2);
    expect(server.count(REFRESH, 401)).toBe(0);
    expect(server.requests.some((entry) => entry.reason === 'REFRESH_TOKEN_REUSED')).toBe(false);
    expect(await sessionsOf(first)).toHaveLength(1);
    for (const tab of tabs) tab.auth.dispose();
  });

  it('without coordination: both tabs refresh, and the grace window gives both the same successor', async () => {
    const tabs = twoTabs(server, false);
    const [first, second] = tabs;
    await signUp(first.client, first.auth);
    // No messages: the second tab learns the session the way a reloaded page does, from its 401.
    expireAccessToken(server);
    const before = server.count(REFRESH);

    const results = await bothWakeUp(server, tabs, 'Alone');

    expect(results.every((result) => result.error === undefined)).toBe(true);
    expect(server.count(REFRESH) - before).toBe(2);
    expect(server.count(REFRESH, 401)).toBe(0);
    expect(server.requests.some((entry) => entry.reason === 'REFRESH_TOKEN_REUSED')).toBe(false);
    expect(await sessionsOf(first)).toHaveLength(1);
    expect(second.auth.getState().status).toBe('logged-in');
    for (const tab of tabs) tab.auth.dispose();
  });

  it('stops waiting for a tab that keeps the lock and refreshes after the timeout', async () => {
    const name = `tabs-${crypto.randomUUID()}`;
    const { client, auth } = cookieClient(server, { tabs: { name, lockTimeoutMs: 300 } });
    await signUp(client, auth);
    expireAccessToken(server);
    const before = server.count(REFRESH);
    let releaseStuckTab = () => {};
    const stuckTab = navigator.locks.request(name, () => new Promise<void>((resolve) => (releaseStuckTab = resolve)));

    const started = Date.now();
    const result = await client.query('query StuckTabMe { me { id } }', {}).toPromise();

    expect(result.error).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(server.count(REFRESH) - before).toBe(1);
    releaseStuckTab();
    await stuckTab;
    auth.dispose();
  });

  it('tells the other tab about a logout', async () => {
    const [first, second] = twoTabs(server, { name: `tabs-${crypto.randomUUID()}` });
    await signUp(first.client, first.auth);
    await quiet(50);
    expect(second.auth.getState().status).toBe('logged-in');

    await first.auth.logout();
    await quiet(50);

    expect(second.auth.getState()).toMatchObject({ status: 'logged-out', loggedOutReason: 'LOGGED_OUT' });
    first.auth.dispose();
    second.auth.dispose();
  });

  it('ends a session the server already ended (an account deleted) in every tab, with its reason, sending nothing', async () => {
    const [first, second] = twoTabs(server, { name: `tabs-${crypto.randomUUID()}` });
    const { account } = await signUp(first.client, first.auth);
    await quiet(50);
    expect(second.auth.getState().status).toBe('logged-in');
    const other = await loginElsewhere(server, account);
    await rawGraphQL(server, 'mutation { logoutAll }', {}, other.accessToken!);
    const requestsBefore = server.requests.length;

    first.auth.endSession('ACCOUNT_DELETED');
    await quiet(50);

    for (const tab of [first, second]) expect(tab.auth.getState()).toMatchObject({ status: 'logged-out', loggedOutReason: 'ACCOUNT_DELETED' });
    expect(server.requests.length, 'no logout or check was sent').toBe(requestsBefore);
    first.auth.endSession('LOGGED_OUT');
    expect(first.auth.getState().loggedOutReason, 'once logged out, the reason stays').toBe('ACCOUNT_DELETED');
    first.auth.dispose();
    second.auth.dispose();
  });
});
