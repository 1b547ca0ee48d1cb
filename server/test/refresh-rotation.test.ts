import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { createCookieJar, parseSetCookie, type CookieJar } from '@graphql-auth/test-kit/cookie-jar';
import { graphql, type GraphQLResponse, expectUnauthenticated } from '@graphql-auth/test-kit/graphql-request';
import { ME, newAccount, REFRESH, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';

type RefreshResponse = GraphQLResponse<{ refresh: AuthPayloadData }>;
type MeResponse = GraphQLResponse<{ me: { id: string; email: string } }>;

interface SessionRow {
  token_hash: Buffer;
  previous_token_hash: Buffer | null;
  sealed_successor: Buffer | null;
  /** Timestamps as epoch milliseconds, so the comparison does not depend on how the driver parses them. */
  rotated_at_ms: number | null;
  revoked_at_ms: number | null;
  revoked_reason: string | null;
}

const SECOND = 1000;
/** The contract allows 5 s of clock skew on access tokens, so "expired" means TTL + 5 s + a margin. */
const CLOCK_SKEW = 5 * SECOND;

/** The session a refresh token belongs to: the part before the dot. */
function sessionIdOf(refreshToken: string): string {
  return refreshToken.split('.')[0]!;
}

/** What the server stores for a refresh token: SHA-256 of the decoded secret after the dot. */
function hashOf(refreshToken: string): Buffer {
  return createHash('sha256').update(Buffer.from(refreshToken.split('.')[1]!, 'base64url')).digest();
}

async function sessionRow(t: TestApp, sessionId: string): Promise<SessionRow> {
  const rows = await t.orm.em
    .fork()
    .execute<SessionRow[]>(
      `select token_hash, previous_token_hash, sealed_successor, revoked_reason,
              (extract(epoch from rotated_at) * 1000)::float8 as rotated_at_ms,
              (extract(epoch from revoked_at) * 1000)::float8 as revoked_at_ms
         from sessions where id = ?`,
      [sessionId],
    );
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

async function signupBearer(t: TestApp): Promise<AuthPayloadData & { accessToken: string; refreshToken: string }> {
  const response = await graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input: newAccount(), transport: 'BEARER' } });
  expect(response.errors).toBeUndefined();
  const { accessToken, refreshToken } = response.data!.signup;
  expect(accessToken).toEqual(expect.any(String));
  expect(refreshToken).toEqual(expect.any(String));
  return { ...response.data!.signup, accessToken: accessToken!, refreshToken: refreshToken! };
}

function refreshWith(t: TestApp, refreshToken: string | null): Promise<RefreshResponse> {
  return graphql(t.app, REFRESH, { variables: { refreshToken } });
}

/** Refreshes with a token argument and returns the successor, failing the test on any error. */
async function rotate(t: TestApp, refreshToken: string): Promise<AuthPayloadData & { accessToken: string; refreshToken: string }> {
  const response = await refreshWith(t, refreshToken);
  expect(response.errors).toBeUndefined();
  expect(response.status).toBe(200);
  const payload = response.data!.refresh;
  return { ...payload, accessToken: payload.accessToken!, refreshToken: payload.refreshToken! };
}

/** The session cookies a jar holds, leaving out the long-lived device cookie. */
function sessionCookieNames(jar: CookieJar): string[] {
  return jar.names().filter((name) => name !== 'device').sort();
}

function setCookieNames(response: GraphQLResponse<unknown>): string[] {
  return response.headers
    .getSetCookie()
    .map((header) => parseSetCookie(header).name)
    .sort();
}

describe('refresh token rotation (ACCESS_TOKEN_TTL 5s, REFRESH_GRACE 2s)', () => {
  let t: TestApp;
  const ACCESS_TTL = 5 * SECOND;
  const GRACE = 2 * SECOND;
  const PAST_ACCESS_EXPIRY = ACCESS_TTL + CLOCK_SKEW + SECOND;

  beforeAll(async () => {
    t = await createTestApp({ ACCESS_TOKEN_TTL: '5s', REFRESH_GRACE: '2s' });
  });
  afterAll(() => t.close());

  describe('an expired access token', () => {
    it('still works within the 5 s clock skew allowance', async () => {
      const session = await signupBearer(t);
      t.clock.advance(ACCESS_TTL + CLOCK_SKEW - SECOND);

      const me = await graphql<{ me: { id: string } }>(t.app, ME, { token: session.accessToken });
      expect(me.errors).toBeUndefined();
      expect(me.data?.me.id).toBe(session.user.id);
    });

    it('answers TOKEN_EXPIRED to a bearer token, and after refresh me works again', async () => {
      const session = await signupBearer(t);
      t.clock.advance(PAST_ACCESS_EXPIRY);

      const expired: MeResponse = await graphql(t.app, ME, { token: session.accessToken });
      expectUnauthenticated(expired, 'TOKEN_EXPIRED');

      const refreshed = await rotate(t, session.refreshToken);
      const me: MeResponse = await graphql(t.app, ME, { token: refreshed.accessToken });
      expect(me.errors).toBeUndefined();
      expect(me.data?.me.id).toBe(session.user.id);
    });

    it('answers TOKEN_EXPIRED to a browser that dropped the access cookie but holds the refresh cookie, and after refresh me works again', async () => {
      const browser = createCookieJar({ now: t.clock.now, expireWhenSending: true });
      const signup = await graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input: newAccount() }, jar: browser });
      expect(sessionCookieNames(browser)).toEqual(['access-token', 'refresh-token']);

      t.clock.advance(PAST_ACCESS_EXPIRY);
      expect(sessionCookieNames(browser)).toEqual(['refresh-token']);

      const expired: MeResponse = await graphql(t.app, ME, { jar: browser });
      expectUnauthenticated(expired, 'TOKEN_EXPIRED');

      const refresh: RefreshResponse = await graphql(t.app, REFRESH, { jar: browser });
      expect(refresh.errors).toBeUndefined();
      expect(sessionCookieNames(browser)).toEqual(['access-token', 'refresh-token']);

      const me: MeResponse = await graphql(t.app, ME, { jar: browser });
      expect(me.errors).toBeUndefined();
      expect(me.data?.me.id).toBe(signup.data?.signup.user.id);
    });

    it('answers TOKEN_EXPIRED to an expired access cookie that is still sent, and after refresh me works again', async () => {
      const jar = createCookieJar({ now: t.clock.now });
      await graphql(t.app, SIGNUP, { variables: { input: newAccount() }, jar });
      t.clock.advance(PAST_ACCESS_EXPIRY);
      expect(sessionCookieNames(jar)).toEqual(['access-token', 'refresh-token']);

      const expired: MeResponse = await graphql(t.app, ME, { jar });
      expectUnauthenticated(expired, 'TOKEN_EXPIRED');

      const refresh: RefreshResponse = await graphql(t.app, REFRESH, { jar });
      expect(refresh.errors).toBeUndefined();
      const me: MeResponse = await graphql(t.app, ME, { jar });
      expect(me.errors).toBeUndefined();
      expect(me.data?.me.id).toBe(refresh.data?.refresh.user.id);
    });
  });

  describe('the transport of refresh', () => {
    it('rotates the refresh cookie when called without an argument and sets both cookies again', async () => {
      const jar = createCookieJar({ now: t.clock.now });
      await graphql(t.app, SIGNUP, { variables: { input: newAccount() }, jar });
      const oldAccess = jar.get('access-token')!;
      const oldRefresh = jar.get('refresh-token')!;

      const refresh: RefreshResponse = await graphql(t.app, REFRESH, { jar });
      expect(refresh.status).toBe(200);
      expect(refresh.errors).toBeUndefined();
      expect(refresh.data?.refresh.accessToken).toBeNull();
      expect(refresh.data?.refresh.refreshToken).toBeNull();
      expect(setCookieNames(refresh)).toEqual(['access-token', 'refresh-token']);

      const newRefresh = jar.get('refresh-token')!;
      expect(newRefresh).not.toBe(oldRefresh);
      expect(jar.get('access-token')).not.toBe(oldAccess);
      expect(sessionIdOf(newRefresh)).toBe(sessionIdOf(oldRefresh));

      const row = await sessionRow(t, sessionIdOf(newRefresh));
      expect(row.token_hash.equals(hashOf(newRefresh))).toBe(true);
      expect(row.previous_token_hash?.equals(hashOf(oldRefresh))).toBe(true);

      const me: MeResponse = await graphql(t.app, ME, { jar });
      expect(me.errors).toBeUndefined();
    });

    it('answers BEARER tokens in the payload and sets no cookies when called with an argument', async () => {
      const session = await signupBearer(t);

      const refresh = await refreshWith(t, session.refreshToken);
      expect(refresh.status).toBe(200);
      expect(refresh.errors).toBeUndefined();
      expect(refresh.headers.getSetCookie()).toEqual([]);
      const payload = refresh.data!.refresh;
      expect(payload.accessToken).toEqual(expect.any(String));
      expect(payload.refreshToken).toEqual(expect.any(String));
      expect(payload.refreshToken).not.toBe(session.refreshToken);
      expect(sessionIdOf(payload.refreshToken!)).toBe(sessionIdOf(session.refreshToken));
      expect(new Date(payload.accessTokenExpiresAt).getTime()).toBe(t.clock.now().getTime() + ACCESS_TTL);

      const me: MeResponse = await graphql(t.app, ME, { token: payload.accessToken! });
      expect(me.data?.me.id).toBe(session.user.id);
    });
  });

  describe('single use', () => {
    it('treats the previous token after the grace window as reuse: revokes the session, rejects the newest token and its access tokens', async () => {
      const session = await signupBearer(t);
      const sessionId = sessionIdOf(session.refreshToken);
      const successor = await rotate(t, session.refreshToken);

      t.clock.advance(GRACE + SECOND);
      const reused = await refreshWith(t, session.refreshToken);
      expectUnauthenticated(reused, 'REFRESH_TOKEN_REUSED');

      const row = await sessionRow(t, sessionId);
      expect(row.revoked_at_ms).toBe(t.clock.now().getTime());
      expect(row.revoked_reason).toBe('refresh_token_reused');

      const newest = await refreshWith(t, successor.refreshToken);
      expectUnauthenticated(newest, 'SESSION_REVOKED');

      // The successor's access token is still within its lifetime, but its session is gone.
      const me: MeResponse = await graphql(t.app, ME, { token: successor.accessToken });
      expectUnauthenticated(me, 'SESSION_REVOKED');
    });

    it('recognises a token from several rotations back as reuse', async () => {
      const first = await signupBearer(t);
      const second = await rotate(t, first.refreshToken);
      t.clock.advance(GRACE + SECOND);
      const third = await rotate(t, second.refreshToken);
      t.clock.advance(GRACE + SECOND);
      await rotate(t, third.refreshToken);

      expectUnauthenticated(await refreshWith(t, first.refreshToken), 'REFRESH_TOKEN_REUSED');
      expect((await sessionRow(t, sessionIdOf(first.refreshToken))).revoked_reason).toBe('refresh_token_reused');
    });

    it('does not let a forged secret for a known session id end that session', async () => {
      const session = await signupBearer(t);
      const sessionId = sessionIdOf(session.refreshToken);
      const forged = `${sessionId}.${randomBytes(32).toString('base64url')}`;

      expectUnauthenticated(await refreshWith(t, forged), 'REFRESH_TOKEN_INVALID');
      expect((await sessionRow(t, sessionId)).revoked_at_ms).toBeNull();
      const still = await rotate(t, session.refreshToken);
      expect(still.refreshToken).toMatch(new RegExp(`^${sessionId}\\.`));
    });

    it('returns the identical successor to the previous token presented again within the grace window, without rotating again', async () => {
      const session = await signupBearer(t);
      const sessionId = sessionIdOf(session.refreshToken);
      const successor = await rotate(t, session.refreshToken);
      const afterRotation = await sessionRow(t, sessionId);

      t.clock.advance(GRACE - SECOND);
      const again = await rotate(t, session.refreshToken);
      expect(again.refreshToken).toBe(successor.refreshToken);

      const afterRetry = await sessionRow(t, sessionId);
      expect(afterRetry).toEqual(afterRotation);
      expect(afterRetry.token_hash.equals(hashOf(successor.refreshToken))).toBe(true);
      expect(afterRetry.revoked_at_ms).toBeNull();

      // The successor is still the live token and rotates normally.
      const next = await rotate(t, successor.refreshToken);
      expect(next.refreshToken).not.toBe(successor.refreshToken);
    });

    it('rotates once for 20 parallel refreshes with the same token, and all 20 get the same successor without errors', async () => {
      const session = await signupBearer(t);
      const sessionId = sessionIdOf(session.refreshToken);

      const responses = await Promise.all(Array.from({ length: 20 }, () => refreshWith(t, session.refreshToken)));
      for (const response of responses) {
        expect(response.status).toBe(200);
        expect(response.errors).toBeUndefined();
      }
      const successors = new Set(responses.map((response) => response.data?.refresh.refreshToken));
      expect(successors.size).toBe(1);
      const [successor] = [...successors];
      expect(successor).toEqual(expect.any(String));
      expect(successor).not.toBe(session.refreshToken);

      const row = await sessionRow(t, sessionId);
      expect(row.previous_token_hash?.equals(hashOf(session.refreshToken))).toBe(true);
      expect(row.token_hash.equals(hashOf(successor!))).toBe(true);
      expect(row.rotated_at_ms).toBe(t.clock.now().getTime());
      expect(row.revoked_at_ms).toBeNull();

      await rotate(t, successor!);
    });

    it('rotates once for 20 parallel cookie refreshes of one browser, and every response sets the same refresh cookie', async () => {
      const jar = createCookieJar({ now: t.clock.now });
      await graphql(t.app, SIGNUP, { variables: { input: newAccount() }, jar });
      const original = jar.get('refresh-token')!;
      const cookie = jar.header();

      const responses = await Promise.all(Array.from({ length: 20 }, () => graphql(t.app, REFRESH, { headers: { cookie } })));
      const refreshCookies = new Set<string>();
      for (const response of responses) {
        expect(response.status).toBe(200);
        expect(response.errors).toBeUndefined();
        const set = response.headers.getSetCookie().map(parseSetCookie);
        refreshCookies.add(set.find((entry) => entry.name === 'refresh-token')!.value);
      }
      expect(refreshCookies.size).toBe(1);
      const [successor] = [...refreshCookies];

      const row = await sessionRow(t, sessionIdOf(original));
      expect(row.previous_token_hash?.equals(hashOf(original))).toBe(true);
      expect(row.token_hash.equals(hashOf(successor!))).toBe(true);
    });
  });

  describe('invalid input', () => {
    const wellFormedSecret = () => randomBytes(32).toString('base64url');
    const garbage = [
      'garbage',
      'a.b',
      '.',
      '..',
      `not-a-uuid.${wellFormedSecret()}`,
      `${crypto.randomUUID()}.short`,
      `${crypto.randomUUID()}.${wellFormedSecret()}.extra`,
      `${crypto.randomUUID().toUpperCase()}x.${wellFormedSecret()}`,
      `${crypto.randomUUID()}.${wellFormedSecret().slice(0, 42)}!`,
      '🔑.🔑',
      'x'.repeat(20_000),
      "'; drop table sessions; --",
    ];

    it.each(garbage.map((token) => [token.length > 60 ? `${token.slice(0, 20)}… (${token.length} chars)` : token, token]))(
      'answers REFRESH_TOKEN_INVALID (401) to the garbage string %s',
      async (_label, token) => {
        expectUnauthenticated(await refreshWith(t, token), 'REFRESH_TOKEN_INVALID');
      },
    );

    it('answers REFRESH_TOKEN_INVALID (401) to a well-formed token naming an unknown session', async () => {
      const token = `${crypto.randomUUID()}.${wellFormedSecret()}`;
      expectUnauthenticated(await refreshWith(t, token), 'REFRESH_TOKEN_INVALID');
    });

    it('answers REFRESH_TOKEN_INVALID (401) to an empty string', async () => {
      expectUnauthenticated(await refreshWith(t, ''), 'REFRESH_TOKEN_INVALID');
    });

    it('answers TOKEN_MISSING (401) to refresh with no argument and no cookie', async () => {
      expectUnauthenticated(await graphql(t.app, REFRESH), 'TOKEN_MISSING');
      expectUnauthenticated(await refreshWith(t, null), 'TOKEN_MISSING');
    });
  });

  describe('a failed cookie refresh', () => {
    function expectClearedCookies(response: GraphQLResponse<unknown>) {
      const cleared = response.headers.getSetCookie().map(parseSetCookie);
      expect(cleared.map((cookie) => cookie.name).sort()).toEqual(['access-token', 'refresh-token']);
      for (const cookie of cleared) {
        expect(cookie.value).toBe('');
        expect(new Date(cookie.attributes.get('expires')!).getTime()).toBe(0);
      }
    }

    it('clears both cookies when the refresh cookie was already used', async () => {
      const jar = createCookieJar({ now: t.clock.now });
      await graphql(t.app, SIGNUP, { variables: { input: newAccount() }, jar });
      const stale = jar.header();
      await graphql(t.app, REFRESH, { jar });
      t.clock.advance(GRACE + SECOND);

      const thief = createCookieJar({ now: t.clock.now });
      const reused = await graphql(t.app, REFRESH, { headers: { cookie: stale }, jar: thief });
      expectUnauthenticated(reused, 'REFRESH_TOKEN_REUSED');
      expectClearedCookies(reused);
      expect(sessionCookieNames(thief)).toEqual([]);

      // The legitimate browser's cookies died with the session, and its next refresh clears them too.
      const owner = await graphql(t.app, REFRESH, { jar });
      expectUnauthenticated(owner, 'SESSION_REVOKED');
      expectClearedCookies(owner);
      expect(sessionCookieNames(jar)).toEqual([]);
    });

    it('clears both cookies when the refresh cookie is garbage', async () => {
      const response = await graphql(t.app, REFRESH, { headers: { cookie: 'access-token=junk; refresh-token=junk' } });
      expectUnauthenticated(response, 'REFRESH_TOKEN_INVALID');
      expectClearedCookies(response);
    });
  });
});

describe('session lifetimes (REFRESH_IDLE_TTL 1m, SESSION_MAX_AGE 3m)', () => {
  let t: TestApp;
  const IDLE = 60 * SECOND;
  const MAX_AGE = 180 * SECOND;

  beforeAll(async () => {
    t = await createTestApp({ ACCESS_TOKEN_TTL: '5s', REFRESH_IDLE_TTL: '1m', SESSION_MAX_AGE: '3m', REFRESH_GRACE: '2s' });
  });
  afterAll(() => t.close());

  it('ends a session that was not refreshed within the idle timeout', async () => {
    const session = await signupBearer(t);
    expect(new Date(session.refreshTokenExpiresAt).getTime()).toBe(t.clock.now().getTime() + IDLE);

    t.clock.advance(IDLE + SECOND);
    expectUnauthenticated(await refreshWith(t, session.refreshToken), 'SESSION_EXPIRED');
  });

  it('ends a cookie session past the idle timeout with SESSION_EXPIRED and clears its cookies', async () => {
    const jar = createCookieJar({ now: t.clock.now });
    await graphql(t.app, SIGNUP, { variables: { input: newAccount() }, jar });
    t.clock.advance(IDLE + SECOND);
    const response = await graphql(t.app, REFRESH, { headers: { cookie: jar.header() } });
    expectUnauthenticated(response, 'SESSION_EXPIRED');
    expect(response.headers.getSetCookie().map((header) => parseSetCookie(header).value)).toEqual(['', '']);
  });

  it('keeps a regularly refreshed session alive past the idle timeout but not past the absolute lifetime', async () => {
    const session = await signupBearer(t);
    const loggedInAt = t.clock.now().getTime();
    let refreshToken = session.refreshToken;

    // 40 s steps: each refresh comes before the idle deadline; 160 s is well past a single idle timeout.
    for (let step = 1; step <= 4; step += 1) {
      t.clock.advance(40 * SECOND);
      const next = await rotate(t, refreshToken);
      const expectedEnd = Math.min(t.clock.now().getTime() + IDLE, loggedInAt + MAX_AGE);
      expect(new Date(next.refreshTokenExpiresAt).getTime()).toBe(expectedEnd);
      refreshToken = next.refreshToken;
    }
    // The last refresh (160 s) was capped at the absolute lifetime (180 s), not 160 s + 60 s.
    t.clock.advance(21 * SECOND);
    expect(t.clock.now().getTime() - loggedInAt).toBeGreaterThan(MAX_AGE);
    expectUnauthenticated(await refreshWith(t, refreshToken), 'SESSION_EXPIRED');
  });
});
