import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTabCoordinator, noTabCoordination, type TabCoordinator } from './tab-lock.ts';
import { startAuthTestServer, type AuthTestServer } from './test-support/auth-test-server.ts';
import { collect, cookieClient, createCookieJar, expireAccessToken, meQueries, quiet, signUp, type TestClient } from './test-support/clients.ts';

const REFRESH = 'AuthRefresh';

/** Coordinators the tests made; a client closes only the one it made itself. */
const opened: TabCoordinator[] = [];
const coordinator = (make: () => TabCoordinator) => () => {
  const made = make();
  opened.push(made);
  return made;
};

/** Two tabs of one browser: one cookie jar, one coordinator each on a shared channel name. */
function twoTabs(server: AuthTestServer, coordinators: () => TabCoordinator): [TestClient, TestClient] {
  const jar = createCookieJar();
  const make = coordinator(coordinators);
  return [cookieClient(server, { jar, coordinator: make() }), cookieClient(server, { jar, coordinator: make() })];
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
    for (const made of opened.splice(0)) made.close();
  });
  afterAll(() => server.close());

  it('with Web Locks: both tabs hit expiry together, one refresh, one valid session', async () => {
    const name = `tabs-${crypto.randomUUID()}`;
    const tabs = twoTabs(server, () => createTabCoordinator({ name }));
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

  it('with BroadcastChannel only: the earliest claim refreshes, the other tab waits for it', async () => {
    const name = `tabs-${crypto.randomUUID()}`;
    const tabs = twoTabs(server, () => createTabCoordinator({ name, locks: null }));
    const [first] = tabs;
    await signUp(first.client, first.auth);
    await quiet(50);
    expireAccessToken(server);
    const before = server.count(REFRESH);

    const results = await bothWakeUp(server, tabs, 'Channel');

    expect(results.every((result) => result.error === undefined)).toBe(true);
    expect(server.count(REFRESH) - before).toBe(1);
    expect(server.count(REFRESH, 401)).toBe(0);
    expect(await sessionsOf(first)).toHaveLength(1);
    for (const tab of tabs) tab.auth.dispose();
  });

  it('without coordination: both tabs refresh, and the grace window gives both the same successor', async () => {
    const tabs = twoTabs(server, noTabCoordination);
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
    const { client, auth } = cookieClient(server, { coordinator: coordinator(() => createTabCoordinator({ name, timeoutMs: 300 }))() });
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
    const name = `tabs-${crypto.randomUUID()}`;
    const [first, second] = twoTabs(server, () => createTabCoordinator({ name }));
    await signUp(first.client, first.auth);
    await quiet(50);
    expect(second.auth.getState().status).toBe('logged-in');

    await first.auth.logout();
    await quiet(50);

    expect(second.auth.getState()).toMatchObject({ status: 'logged-out', loggedOutReason: 'LOGGED_OUT' });
    first.auth.dispose();
    second.auth.dispose();
  });
});
