import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { graphql, type GraphQLResponse } from '@graphql-auth/test-kit/graphql-request';
import { LOGIN, ME, newAccount, REFRESH, SIGNUP, type AuthPayloadData, type Account } from '@graphql-auth/test-kit/operations';

const SESSIONS = /* GraphQL */ `
  query Sessions {
    sessions { id createdAt lastUsedAt expiresAt userAgent ip current }
  }
`;

const REVOKE_SESSION = /* GraphQL */ `
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`;

const LOGOUT_ALL = /* GraphQL */ `
  mutation LogoutAll($exceptCurrent: Boolean) {
    logoutAll(exceptCurrent: $exceptCurrent)
  }
`;

const CHANGE_PASSWORD = /* GraphQL */ `
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`;

const UPDATE_PROFILE = /* GraphQL */ `
  mutation UpdateProfile($name: String, $avatarUrl: String) {
    updateProfile(name: $name, avatarUrl: $avatarUrl) { id name avatarUrl }
  }
`;

interface SessionData {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

interface Device {
  userAgent: string;
  ip: string;
}

/** One login on one device: the tokens a bearer client holds. */
interface Login {
  accessToken: string;
  refreshToken: string;
}

function deviceHeaders(device?: Device): Record<string, string> {
  return device ? { 'user-agent': device.userAgent, 'x-forwarded-for': device.ip } : {};
}

/** The tokens of a successful signup, login or refresh. */
function tokensOf(response: GraphQLResponse<Record<string, AuthPayloadData>>): Login {
  expect(response.errors).toBeUndefined();
  const [payload] = Object.values(response.data ?? {});
  expect(payload?.accessToken).toBeTruthy();
  expect(payload?.refreshToken).toBeTruthy();
  return { accessToken: payload!.accessToken!, refreshToken: payload!.refreshToken! };
}

function expectUnauthenticated(response: GraphQLResponse<unknown>, reason: string) {
  expect(response.status).toBe(401);
  expect(response.data ?? null).toBeNull();
  expect(response.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason });
}

function expectError(response: GraphQLResponse<unknown>, extensions: Record<string, unknown>) {
  expect(response.status).toBe(200);
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  expect(response.errors?.[0]?.extensions).toEqual(extensions);
}

describe('sessions, password changes and the profile', () => {
  let t: TestApp;

  async function signup(device?: Device): Promise<{ account: Account; userId: string } & Login> {
    const account = newAccount();
    const response = await graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, {
      variables: { input: account, transport: 'BEARER' },
      headers: deviceHeaders(device),
    });
    return { account, userId: response.data?.signup.user.id ?? '', ...tokensOf(response) };
  }

  function login(credentials: { email: string; password: string }, device?: Device) {
    return graphql<{ login: AuthPayloadData }>(t.app, LOGIN, {
      variables: { input: { email: credentials.email, password: credentials.password }, transport: 'BEARER' },
      headers: deviceHeaders(device),
    });
  }

  async function loginAgain(account: Account, device?: Device): Promise<Login> {
    return tokensOf(await login(account, device));
  }

  function sessions(token: string) {
    return graphql<{ sessions: SessionData[] }>(t.app, SESSIONS, { token });
  }

  async function sessionIds(token: string): Promise<string[]> {
    const response = await sessions(token);
    expect(response.errors).toBeUndefined();
    return response.data!.sessions.map((session) => session.id).sort();
  }

  /** The session a token belongs to, as `sessions` reports it. */
  async function currentSessionId(token: string): Promise<string> {
    const response = await sessions(token);
    const current = response.data?.sessions.filter((session) => session.current) ?? [];
    expect(current).toHaveLength(1);
    return current[0]!.id;
  }

  async function expectWorks(token: string, userId: string) {
    const me = await graphql<{ me: { id: string } }>(t.app, ME, { token });
    expect(me.errors).toBeUndefined();
    expect(me.data?.me.id).toBe(userId);
  }

  function refresh(refreshToken: string) {
    return graphql<{ refresh: AuthPayloadData }>(t.app, REFRESH, { variables: { refreshToken } });
  }

  async function expectEnded(session: Login) {
    expectUnauthenticated(await graphql(t.app, ME, { token: session.accessToken }), 'SESSION_REVOKED');
    const refreshed = await refresh(session.refreshToken);
    expect(refreshed.status).toBe(401);
    expect(refreshed.data ?? null).toBeNull();
    expect(refreshed.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(['SESSION_REVOKED', 'REFRESH_TOKEN_INVALID']).toContain(refreshed.errors?.[0]?.extensions?.reason);
  }

  beforeAll(async () => {
    // Believe X-Forwarded-For, so in-process requests carry a client IP.
    t = await createTestApp({ TRUST_PROXY: 'true' });
  });
  afterAll(() => t.close());

  describe('sessions', () => {
    it("lists the user's live sessions with their device, and marks exactly the asking one as current", async () => {
      const laptop = { userAgent: 'Laptop/1.0', ip: '203.0.113.7' };
      const phone = { userAgent: 'Phone/2.0', ip: '198.51.100.23' };
      const first = await signup({ userAgent: 'Desktop/3.0', ip: '192.0.2.1' });
      const onLaptop = await loginAgain(first.account, laptop);
      const onPhone = await loginAgain(first.account, phone);
      // Someone else's session never shows up.
      await signup(laptop);

      const response = await sessions(onPhone.accessToken);
      expect(response.status).toBe(200);
      expect(response.errors).toBeUndefined();
      const listed = response.data!.sessions;
      expect(listed).toHaveLength(3);
      expect(listed.filter((session) => session.current)).toHaveLength(1);
      const current = listed.find((session) => session.current)!;
      expect(current).toMatchObject({ userAgent: phone.userAgent, ip: phone.ip });
      expect(listed.map(({ userAgent, ip }) => ({ userAgent, ip })).sort((a, b) => a.userAgent!.localeCompare(b.userAgent!))).toEqual([
        { userAgent: 'Desktop/3.0', ip: '192.0.2.1' },
        { userAgent: laptop.userAgent, ip: laptop.ip },
        { userAgent: phone.userAgent, ip: phone.ip },
      ]);
      for (const session of listed) {
        expect(new Date(session.createdAt).getTime()).toBe(t.clock.now().getTime());
        expect(new Date(session.lastUsedAt).getTime()).toBe(t.clock.now().getTime());
        expect(new Date(session.expiresAt).getTime()).toBe(t.clock.now().getTime() + t.config.refreshIdleTtlMs);
      }

      // The same list asked through another session marks that one instead.
      const fromLaptop = (await sessions(onLaptop.accessToken)).data?.sessions.filter((session) => session.current);
      expect(fromLaptop).toHaveLength(1);
      expect(fromLaptop?.[0]?.userAgent).toBe(laptop.userAgent);
      expect(fromLaptop?.[0]?.id).not.toBe(current.id);
    });

    it('leaves userAgent and ip null when the request did not carry them', async () => {
      const { accessToken } = await signup();
      const response = await sessions(accessToken);
      expect(response.data?.sessions).toEqual([expect.objectContaining({ userAgent: null, ip: null, current: true })]);
    });
  });

  describe('revokeSession', () => {
    it("ends another of the user's own sessions: its access token is revoked at once and its refresh token fails", async () => {
      const user = await signup();
      const other = await loginAgain(user.account);
      const otherId = await currentSessionId(other.accessToken);

      const response = await graphql<{ revokeSession: boolean }>(t.app, REVOKE_SESSION, { token: user.accessToken, variables: { id: otherId } });
      expect(response.errors).toBeUndefined();
      expect(response.data?.revokeSession).toBe(true);

      await expectEnded(other);
      await expectWorks(user.accessToken, user.userId);
      expect(await sessionIds(user.accessToken)).not.toContain(otherId);
      expect(await sessionIds(user.accessToken)).toHaveLength(1);
    });

    it('ends the current session too when asked to', async () => {
      const user = await signup();
      const other = await loginAgain(user.account);
      const response = await graphql<{ revokeSession: boolean }>(t.app, REVOKE_SESSION, {
        token: user.accessToken,
        variables: { id: await currentSessionId(user.accessToken) },
      });
      expect(response.data?.revokeSession).toBe(true);
      await expectEnded(user);
      await expectWorks(other.accessToken, user.userId);
    });

    it("answers FORBIDDEN, with one message, for another user's session, an unknown id and a non-uuid, and ends nothing", async () => {
      const user = await signup();
      const stranger = await signup();
      const strangersSession = await currentSessionId(stranger.accessToken);

      const messages: string[] = [];
      for (const id of [strangersSession, crypto.randomUUID(), 'not-a-uuid', "1' or '1'='1"]) {
        const response = await graphql(t.app, REVOKE_SESSION, { token: user.accessToken, variables: { id } });
        expectError(response, { code: 'FORBIDDEN' });
        messages.push(response.errors![0]!.message);
      }
      expect(new Set(messages).size).toBe(1);

      await expectWorks(stranger.accessToken, stranger.userId);
      expect(tokensOf(await refresh(stranger.refreshToken))).toBeTruthy();
      await expectWorks(user.accessToken, user.userId);
    });
  });

  describe('logoutAll', () => {
    it('with exceptCurrent: true ends every other session, returns how many, and keeps the current one', async () => {
      const user = await signup();
      const others = [await loginAgain(user.account), await loginAgain(user.account)];
      const bystander = await signup();

      const response = await graphql<{ logoutAll: number }>(t.app, LOGOUT_ALL, { token: user.accessToken, variables: { exceptCurrent: true } });
      expect(response.errors).toBeUndefined();
      expect(response.data?.logoutAll).toBe(2);

      for (const other of others) await expectEnded(other);
      await expectWorks(user.accessToken, user.userId);
      expect(await sessionIds(user.accessToken)).toEqual([await currentSessionId(user.accessToken)]);
      expect(tokensOf(await refresh(user.refreshToken))).toBeTruthy();
      await expectWorks(bystander.accessToken, bystander.userId);
    });

    it('without arguments ends every session, the current one included', async () => {
      const user = await signup();
      const other = await loginAgain(user.account);
      const bystander = await signup();

      const response = await graphql<{ logoutAll: number }>(t.app, /* GraphQL */ `mutation { logoutAll }`, { token: user.accessToken });
      expect(response.errors).toBeUndefined();
      expect(response.data?.logoutAll).toBe(2);

      await expectEnded(user);
      await expectEnded(other);
      await expectWorks(bystander.accessToken, bystander.userId);
      // The account itself is fine: logging in starts a new session.
      await expectWorks((await loginAgain(user.account)).accessToken, user.userId);
    });
  });

  describe('changePassword', () => {
    it('with a wrong current password answers INVALID_CREDENTIALS and changes nothing', async () => {
      const user = await signup();
      const other = await loginAgain(user.account);
      const newPassword = 'a brand new password';

      const response = await graphql(t.app, CHANGE_PASSWORD, {
        token: user.accessToken,
        variables: { currentPassword: 'not the password', newPassword },
      });
      expect(response.status).toBe(200);
      expect(response.data ?? null).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');

      expect(tokensOf(await login(user.account))).toBeTruthy();
      expect((await login({ email: user.account.email, password: newPassword })).errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
      await expectWorks(other.accessToken, user.userId);
      await expectWorks(user.accessToken, user.userId);
    });

    it('with the right current password swaps the passwords, ends the other sessions and keeps this one', async () => {
      const user = await signup();
      const others = [await loginAgain(user.account), await loginAgain(user.account)];
      const newPassword = 'a brand new password';

      const response = await graphql<{ changePassword: boolean }>(t.app, CHANGE_PASSWORD, {
        token: user.accessToken,
        variables: { currentPassword: user.account.password, newPassword },
      });
      expect(response.errors).toBeUndefined();
      expect(response.data?.changePassword).toBe(true);

      const withOld = await login(user.account);
      expect(withOld.data ?? null).toBeNull();
      expect(withOld.errors?.[0]?.extensions).toEqual({ code: 'INVALID_CREDENTIALS' });
      expect(tokensOf(await login({ email: user.account.email, password: newPassword }))).toBeTruthy();

      for (const other of others) await expectEnded(other);
      await expectWorks(user.accessToken, user.userId);
      expect(tokensOf(await refresh(user.refreshToken))).toBeTruthy();
    });

    it.each([
      ['too short', '1234567'],
      ['too long', 'p'.repeat(129)],
    ])('answers BAD_USER_INPUT on newPassword when it is %s, and changes nothing', async (_name, newPassword) => {
      const user = await signup();
      const other = await loginAgain(user.account);
      const response = await graphql(t.app, CHANGE_PASSWORD, {
        token: user.accessToken,
        variables: { currentPassword: user.account.password, newPassword },
      });
      expectError(response, { code: 'BAD_USER_INPUT', field: 'newPassword' });
      expect(tokensOf(await login(user.account))).toBeTruthy();
      await expectWorks(other.accessToken, user.userId);
    });
  });

  describe('updateProfile', () => {
    type Profile = { id: string; name: string; avatarUrl: string | null };

    async function update(token: string, variables: Record<string, unknown>): Promise<Profile> {
      const response = await graphql<{ updateProfile: Profile }>(t.app, UPDATE_PROFILE, { token, variables });
      expect(response.errors).toBeUndefined();
      return response.data!.updateProfile;
    }

    async function me(token: string): Promise<Profile> {
      const response = await graphql<{ me: Profile }>(t.app, ME, { token });
      expect(response.errors).toBeUndefined();
      return response.data!.me;
    }

    it('changes the name (trimmed), sets and clears the avatar, and leaves what is omitted unchanged', async () => {
      const { accessToken: token, userId, account } = await signup();
      const avatar = 'https://cdn.example.com/avatars/ada.png';

      expect(await update(token, { name: '  Ada Lovelace  ' })).toEqual({ id: userId, name: 'Ada Lovelace', avatarUrl: null });
      expect(await update(token, { avatarUrl: avatar })).toEqual({ id: userId, name: 'Ada Lovelace', avatarUrl: avatar });
      expect(await me(token)).toMatchObject({ name: 'Ada Lovelace', avatarUrl: avatar });

      // Omitting both changes nothing; renaming leaves the avatar.
      expect(await update(token, {})).toEqual({ id: userId, name: 'Ada Lovelace', avatarUrl: avatar });
      expect(await update(token, { name: 'Ada' })).toEqual({ id: userId, name: 'Ada', avatarUrl: avatar });

      // A null avatarUrl removes the avatar; a null name is the same as leaving it out.
      expect(await update(token, { avatarUrl: null })).toEqual({ id: userId, name: 'Ada', avatarUrl: null });
      expect(await update(token, { name: null, avatarUrl: 'https://example.com/a.png' })).toEqual({
        id: userId,
        name: 'Ada',
        avatarUrl: 'https://example.com/a.png',
      });
      expect(await me(token)).toMatchObject({ name: 'Ada', avatarUrl: 'https://example.com/a.png', email: account.email });
    });

    it('accepts plain http only for this machine (localhost, loopback addresses), where browsers treat it as secure', async () => {
      const { accessToken: token } = await signup();
      for (const avatarUrl of ['http://localhost:5173/a.png', 'http://app.localhost/a.png', 'http://127.0.0.1:4000/favicon.svg', 'http://[::1]:8080/a.png']) {
        expect((await update(token, { avatarUrl })).avatarUrl).toBe(avatarUrl);
      }
    });

    it('clears the avatar with a literal null in the query and keeps the name', async () => {
      const { accessToken: token, userId } = await signup();
      await update(token, { name: 'Grace', avatarUrl: 'https://example.com/g.png' });
      const cleared = await graphql<{ updateProfile: Profile }>(t.app, /* GraphQL */ `mutation { updateProfile(avatarUrl: null) { id name avatarUrl } }`, { token });
      expect(cleared.data?.updateProfile).toEqual({ id: userId, name: 'Grace', avatarUrl: null });
    });
  });

  describe('without a login', () => {
    it.each([
      ['me', ME, {}],
      ['sessions', SESSIONS, {}],
      ['logoutAll', LOGOUT_ALL, { exceptCurrent: true }],
      ['revokeSession', REVOKE_SESSION, { id: '00000000-0000-4000-8000-000000000000' }],
      ['changePassword', CHANGE_PASSWORD, { currentPassword: 'whatever123', newPassword: 'whatever456' }],
      ['updateProfile', UPDATE_PROFILE, { name: 'Nobody' }],
    ])('%s answers 401 TOKEN_MISSING', async (_name, query, variables) => {
      expectUnauthenticated(await graphql(t.app, query, { variables }), 'TOKEN_MISSING');
    });
  });
});

describe('sessions past their idle timeout', () => {
  let t: TestApp;
  beforeAll(async () => {
    // An app of its own: this test moves the clock by weeks.
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('are neither listed nor counted by logoutAll', async () => {
    const account = newAccount();
    tokensOf(await graphql(t.app, SIGNUP, { variables: { input: account, transport: 'BEARER' } }));
    t.clock.advance(t.config.refreshIdleTtlMs + 1000);
    const login = () => graphql<{ login: AuthPayloadData }>(t.app, LOGIN, { variables: { input: { email: account.email, password: account.password }, transport: 'BEARER' } });
    tokensOf(await login());
    const current = tokensOf(await login());

    const listed = await graphql<{ sessions: SessionData[] }>(t.app, SESSIONS, { token: current.accessToken });
    expect(listed.data?.sessions).toHaveLength(2);

    // The idle session ended two weeks ago: only the one other live session is ended now.
    const response = await graphql<{ logoutAll: number }>(t.app, LOGOUT_ALL, { token: current.accessToken, variables: { exceptCurrent: true } });
    expect(response.errors).toBeUndefined();
    expect(response.data?.logoutAll).toBe(1);
  });
});
