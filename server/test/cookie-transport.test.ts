import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { createCookieJar, parseSetCookie } from '@graphql-auth/test-kit/cookie-jar';
import { graphql } from '@graphql-auth/test-kit/graphql-request';
import { LOGIN, LOGOUT, ME, newAccount, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';

describe('cookie transport on a plain-http localhost origin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('signs up, sets both tokens as HttpOnly Lax cookies and leaves them out of the payload', async () => {
    const jar = createCookieJar();
    const account = newAccount({ email: '  Mixed.Case@Example.COM ' });
    const response = await graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input: account }, jar });

    expect(response.errors).toBeUndefined();
    expect(response.data?.signup.user.email).toBe('mixed.case@example.com');
    expect(response.data?.signup.accessToken).toBeNull();
    expect(response.data?.signup.refreshToken).toBeNull();

    const cookies = response.headers.getSetCookie().map(parseSetCookie);
    expect(cookies.map((cookie) => cookie.name).sort()).toEqual(['access-token', 'device', 'refresh-token']);
    for (const cookie of cookies) {
      expect(cookie.attributes.has('httponly')).toBe(true);
      expect(cookie.attributes.get('samesite')).toBe('Lax');
      expect(cookie.attributes.get('path')).toBe('/');
      expect(cookie.attributes.has('secure')).toBe(false);
      expect(cookie.attributes.has('domain')).toBe(false);
    }
    const access = cookies.find((cookie) => cookie.name === 'access-token')!;
    const refresh = cookies.find((cookie) => cookie.name === 'refresh-token')!;
    const payload = response.data!.signup;
    // Expires carries whole seconds; the payload carries milliseconds.
    expect(Math.abs(new Date(access.attributes.get('expires')!).getTime() - new Date(payload.accessTokenExpiresAt).getTime())).toBeLessThan(1000);
    expect(Math.abs(new Date(refresh.attributes.get('expires')!).getTime() - new Date(payload.refreshTokenExpiresAt).getTime())).toBeLessThan(1000);
    expect(new Date(payload.accessTokenExpiresAt).getTime() - t.clock.now().getTime()).toBe(15 * 60_000);
    expect(new Date(payload.refreshTokenExpiresAt).getTime() - t.clock.now().getTime()).toBe(14 * 86_400_000);
  });

  it('logs in, answers me through the cookies, and logs out by expiring both cookies', async () => {
    const account = newAccount();
    await graphql(t.app, SIGNUP, { variables: { input: account } });
    const jar = createCookieJar();

    const login = await graphql<{ login: AuthPayloadData }>(t.app, LOGIN, {
      variables: { input: { email: account.email.toUpperCase(), password: account.password } },
      jar,
    });
    expect(login.errors).toBeUndefined();
    expect(jar.names().sort()).toEqual(['access-token', 'device', 'refresh-token']);

    const me = await graphql<{ me: { email: string; name: string } }>(t.app, ME, { jar });
    expect(me.status).toBe(200);
    expect(me.data?.me).toMatchObject({ email: account.email, name: account.name });

    const logout = await graphql<{ logout: boolean }>(t.app, LOGOUT, { jar });
    expect(logout.data?.logout).toBe(true);
    const cleared = logout.headers.getSetCookie().map(parseSetCookie);
    expect(cleared.map((cookie) => cookie.name).sort()).toEqual(['access-token', 'refresh-token']);
    for (const cookie of cleared) {
      expect(cookie.value).toBe('');
      expect(new Date(cookie.attributes.get('expires')!).getTime()).toBe(0);
      expect(cookie.attributes.has('httponly')).toBe(true);
    }
    // The device cookie stays: it marks this browser as one that logged in here before.
    expect(jar.names()).toEqual(['device']);

    const after = await graphql(t.app, ME, { jar });
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' });
  });

  it('keeps logout idempotent and answers true without any session', async () => {
    const response = await graphql<{ logout: boolean }>(t.app, LOGOUT);
    expect(response.status).toBe(200);
    expect(response.data?.logout).toBe(true);
  });

  it('rejects the access cookie of a logged-out session at once', async () => {
    const jar = createCookieJar();
    await graphql(t.app, SIGNUP, { variables: { input: newAccount() }, jar });
    const stolen = jar.header();
    await graphql(t.app, LOGOUT, { jar });

    const replay = await graphql(t.app, ME, { headers: { cookie: stolen } });
    expect(replay.status).toBe(401);
    expect(replay.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_REVOKED' });
  });
});

describe('cookie transport on an https origin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_ORIGIN: 'https://auth.example.com' });
  });
  afterAll(() => t.close());

  it('uses __Host- cookies with Secure', async () => {
    const jar = createCookieJar();
    const response = await graphql(t.app, SIGNUP, { variables: { input: newAccount() }, jar });
    const cookies = response.headers.getSetCookie().map(parseSetCookie);
    expect(cookies.map((cookie) => cookie.name).sort()).toEqual(['__Host-access-token', '__Host-device', '__Host-refresh-token']);
    for (const cookie of cookies) {
      expect(cookie.attributes.has('secure')).toBe(true);
      expect(cookie.attributes.has('httponly')).toBe(true);
      expect(cookie.attributes.get('samesite')).toBe('Lax');
      expect(cookie.attributes.get('path')).toBe('/');
      expect(cookie.attributes.has('domain')).toBe(false);
    }
    const me = await graphql<{ me: { id: string } }>(t.app, ME, { jar });
    expect(me.data?.me.id).toBeTruthy();
  });
});
