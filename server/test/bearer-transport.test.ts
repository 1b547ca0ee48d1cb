import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { createCookieJar } from '@graphql-auth/test-kit/cookie-jar';
import { graphql, type GraphQLResponse, expectUnauthenticated } from '@graphql-auth/test-kit/graphql-request';
import { LOGIN, LOGOUT, ME, newAccount, REFRESH, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';

type MeResponse = GraphQLResponse<{ me: { id: string; email: string } }>;

/** Bearer tokens are present, and nothing tried to set a cookie. */
function expectBearerPayload(response: GraphQLResponse<unknown>, payload: AuthPayloadData | undefined) {
  expect(response.status).toBe(200);
  expect(response.errors).toBeUndefined();
  expect(response.headers.getSetCookie()).toEqual([]);
  expect(response.headers.has('set-cookie')).toBe(false);
  expect(payload?.accessToken).toEqual(expect.any(String));
  expect(payload?.refreshToken).toEqual(expect.any(String));
  expect(payload?.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  expect(payload?.refreshToken).toMatch(/^[0-9a-f-]{36}\.[\w-]{43}$/);
}

describe('bearer transport', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function signupBearer(account = newAccount()) {
    const response = await graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input: account, transport: 'BEARER' } });
    expectBearerPayload(response, response.data?.signup);
    const payload = response.data!.signup;
    return { account, user: payload.user, accessToken: payload.accessToken!, refreshToken: payload.refreshToken! };
  }

  async function loginBearer(account: { email: string; password: string }) {
    const response = await graphql<{ login: AuthPayloadData }>(t.app, LOGIN, {
      variables: { input: { email: account.email, password: account.password }, transport: 'BEARER' },
    });
    expectBearerPayload(response, response.data?.login);
    const payload = response.data!.login;
    return { user: payload.user, accessToken: payload.accessToken!, refreshToken: payload.refreshToken! };
  }

  it('signs up with transport BEARER: both tokens in the payload, no Set-Cookie', async () => {
    const account = newAccount();
    const response = await graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input: account, transport: 'BEARER' } });
    expectBearerPayload(response, response.data?.signup);
    const payload = response.data!.signup;
    expect(payload.user.email).toBe(account.email);
    expect(new Date(payload.accessTokenExpiresAt).getTime() - t.clock.now().getTime()).toBe(15 * 60_000);
    expect(new Date(payload.refreshTokenExpiresAt).getTime() - t.clock.now().getTime()).toBe(14 * 86_400_000);
  });

  it('logs in with transport BEARER: both tokens in the payload, no Set-Cookie, and a session of its own', async () => {
    const signup = await signupBearer();
    const login = await loginBearer(signup.account);
    expect(login.user.id).toBe(signup.user.id);
    expect(login.refreshToken.split('.')[0]).not.toBe(signup.refreshToken.split('.')[0]);
  });

  it('answers me with an Authorization: Bearer header', async () => {
    const { account, user, accessToken } = await signupBearer();
    const me: MeResponse = await graphql(t.app, ME, { token: accessToken });
    expect(me.status).toBe(200);
    expect(me.errors).toBeUndefined();
    expect(me.data?.me).toEqual(expect.objectContaining({ id: user.id, email: account.email }));
  });

  it('accepts the Bearer scheme case-insensitively', async () => {
    const { user, accessToken } = await signupBearer();
    const me: MeResponse = await graphql(t.app, ME, { headers: { authorization: `bearer ${accessToken}` } });
    expect(me.data?.me.id).toBe(user.id);
  });

  it('prefers a bearer token over the cookies of another user', async () => {
    const bearerUser = await signupBearer();
    const cookieJar = createCookieJar();
    const cookieSignup = await graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input: newAccount() }, jar: cookieJar });
    const cookieUserId = cookieSignup.data!.signup.user.id;
    expect(cookieUserId).not.toBe(bearerUser.user.id);

    const cookiesOnly: MeResponse = await graphql(t.app, ME, { jar: cookieJar });
    expect(cookiesOnly.data?.me.id).toBe(cookieUserId);

    const both: MeResponse = await graphql(t.app, ME, { jar: cookieJar, token: bearerUser.accessToken });
    expect(both.errors).toBeUndefined();
    expect(both.data?.me.id).toBe(bearerUser.user.id);
  });

  it('logs out the session named by the refreshToken argument: its access and refresh tokens stop working, other sessions do not', async () => {
    const signup = await signupBearer();
    const other = await loginBearer(signup.account);

    const logout = await graphql<{ logout: boolean }>(t.app, LOGOUT, { variables: { refreshToken: signup.refreshToken } });
    expect(logout.status).toBe(200);
    expect(logout.errors).toBeUndefined();
    expect(logout.data?.logout).toBe(true);

    const me: MeResponse = await graphql(t.app, ME, { token: signup.accessToken });
    expectUnauthenticated(me, 'SESSION_REVOKED');

    const refresh = await graphql(t.app, REFRESH, { variables: { refreshToken: signup.refreshToken } });
    expect(refresh.status).toBe(401);
    expect(refresh.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(refresh.text).not.toContain('"refreshToken":"');

    const otherMe: MeResponse = await graphql(t.app, ME, { token: other.accessToken });
    expect(otherMe.data?.me.id).toBe(signup.user.id);

    // Idempotent: the same logout again still answers true.
    const again = await graphql<{ logout: boolean }>(t.app, LOGOUT, { variables: { refreshToken: signup.refreshToken } });
    expect(again.data?.logout).toBe(true);
  });

  it.each([
    ['the Bearer scheme without a token', 'Bearer'],
    ['the Bearer scheme with a blank token', 'Bearer   '],
    ['a token with spaces in it', 'Bearer abc def'],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
    ['a token of three garbage parts', 'Bearer aaa.bbb.ccc'],
    ['two Bearer tokens', 'Bearer a.b.c, Bearer d.e.f'],
    ['an unsigned JWT', `Bearer ${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${Buffer.from('{"sub":"x","sid":"y"}').toString('base64url')}.`],
  ])('answers TOKEN_INVALID (401) to a malformed Authorization header: %s', async (_label, authorization) => {
    const me: MeResponse = await graphql(t.app, ME, { headers: { authorization } });
    expectUnauthenticated(me, 'TOKEN_INVALID');
  });

  it('leaves other Authorization schemes to the cookie, as behind a Basic-auth staging site', async () => {
    const basic = `Basic ${Buffer.from('staging:secret').toString('base64')}`;
    const alone: MeResponse = await graphql(t.app, ME, { headers: { authorization: basic } });
    expectUnauthenticated(alone, 'TOKEN_MISSING');

    const jar = createCookieJar();
    await graphql(t.app, SIGNUP, { variables: { input: newAccount() }, jar });
    const withCookie: MeResponse = await graphql(t.app, ME, { headers: { authorization: basic }, jar });
    expect(withCookie.status).toBe(200);
    expect(withCookie.data?.me.id).toBeTruthy();
  });

  it('answers TOKEN_INVALID (401) to a bearer token whose signature was tampered with', async () => {
    const { accessToken } = await signupBearer();
    const [header, payload, signature] = accessToken.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`;
    const me: MeResponse = await graphql(t.app, ME, { token: `${header}.${payload}.${flipped}` });
    expectUnauthenticated(me, 'TOKEN_INVALID');
  });
});
