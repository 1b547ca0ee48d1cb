import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { graphql, type GraphQLResponse } from '@graphql-auth/test-kit/graphql-request';
import { LOGIN, ME, newAccount, SIGNUP, type AuthPayloadData, type Account } from '@graphql-auth/test-kit/operations';

const UPDATE_PROFILE = /* GraphQL */ `
  mutation UpdateProfile($name: String, $avatarUrl: String) {
    updateProfile(name: $name, avatarUrl: $avatarUrl) { id name avatarUrl }
  }
`;

function signup(t: TestApp, input: Account) {
  return graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input, transport: 'BEARER' } });
}

function login(t: TestApp, input: { email: string; password: string }) {
  return graphql<{ login: AuthPayloadData }>(t.app, LOGIN, { variables: { input, transport: 'BEARER' } });
}

async function signedUp(t: TestApp, overrides: Partial<Account> = {}): Promise<{ account: Account; token: string }> {
  const account = newAccount(overrides);
  const response = await signup(t, account);
  expect(response.errors).toBeUndefined();
  return { account, token: response.data!.signup.accessToken! };
}

async function userRows(t: TestApp, email: string): Promise<number> {
  const rows = await t.orm.em.fork().execute<{ count: string }[]>('select count(*) as count from users where lower(email) = lower(?)', [email.trim()]);
  return Number(rows[0]?.count);
}

function expectBadUserInput(response: GraphQLResponse<unknown>, field: string) {
  expect(response.status).toBe(200);
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
  expect(response.errors?.[0]?.message).toBeTruthy();
}

describe('errors and input validation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('login failures', () => {
    it('answer an unknown email and a wrong password identically: message, code, status, and nothing more', async () => {
      const { account } = await signedUp(t);
      const unknownEmail = await login(t, { email: `nobody-${crypto.randomUUID()}@example.com`, password: account.password });
      const wrongPassword = await login(t, { email: account.email, password: `${account.password}!` });

      for (const response of [unknownEmail, wrongPassword]) {
        expect(response.status).toBe(200);
        expect(response.data ?? null).toBeNull();
        expect(response.errors).toHaveLength(1);
        expect(response.errors?.[0]?.extensions).toEqual({ code: 'INVALID_CREDENTIALS' });
      }
      expect(unknownEmail.errors?.[0]?.message).toBe(wrongPassword.errors?.[0]?.message);
      // Byte for byte the same body: no field, no hint which part was wrong.
      expect(unknownEmail.text).toBe(wrongPassword.text);
    });

    it('accept the email in another case and with surrounding spaces (a tab is a control character, refused like any other)', async () => {
      const { account } = await signedUp(t);
      expectBadUserInput(await login(t, { email: `${account.email}\t`, password: account.password }), 'email');
      const response = await login(t, { email: `  ${account.email.toUpperCase()}\u3000`, password: account.password });
      expect(response.errors).toBeUndefined();
      expect(response.data?.login.user.email).toBe(account.email);
    });
  });

  describe('signup', () => {
    it('answers EMAIL_TAKEN for an existing email in another case with surrounding spaces, and creates no second user', async () => {
      const { account } = await signedUp(t);
      const again = await signup(t, newAccount({ email: `  ${account.email.toUpperCase()}  ` }));
      expect(again.status).toBe(200);
      expect(again.data ?? null).toBeNull();
      expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'EMAIL_TAKEN' });
      expect(await userRows(t, account.email)).toBe(1);
    });

    it.each<[string, Partial<Account>, string]>([
      ['an invalid email', { email: 'not-an-email' }, 'email'],
      ['an email without a domain dot', { email: 'someone@localhost' }, 'email'],
      ['an email with spaces inside', { email: 'some one@example.com' }, 'email'],
      ['a 7-character password', { password: '1234567' }, 'password'],
      ['a 129-character password', { password: 'p'.repeat(129) }, 'password'],
      ['an empty name', { name: '' }, 'name'],
      ['a blank name', { name: '   ' }, 'name'],
      ['a 101-character name', { name: 'n'.repeat(101) }, 'name'],
    ])('answers BAD_USER_INPUT for %s, naming the field, and creates no user', async (_name, overrides, field) => {
      const account = newAccount(overrides);
      const candidate = overrides.email ?? account.email;
      expectBadUserInput(await signup(t, account), field);
      expect(await userRows(t, candidate)).toBe(0);
      // Nothing half-made: the same email cannot log in either.
      const attempt = await login(t, { email: candidate, password: account.password });
      expect(attempt.data ?? null).toBeNull();
      expect(attempt.errors?.[0]?.extensions).toEqual({ code: 'INVALID_CREDENTIALS' });
    });

    it('accepts passwords of exactly 8 and 128 characters, counted in characters not bytes', async () => {
      for (const password of ['12345678', 'p'.repeat(128), 'ü'.repeat(128)]) {
        const { account } = await signedUp(t, { password });
        const response = await login(t, { email: account.email, password });
        expect(response.errors).toBeUndefined();
      }
    });
  });

  describe('passwords longer than bcrypt reads (72 bytes)', () => {
    it.each([
      ['ASCII', 'x'.repeat(72), '-the first tail', '-another tail'],
      ['multi-byte', 'é'.repeat(36), 'one', 'two'],
    ])('keep every byte: a %s password sharing the first 72 bytes with another does not log in', async (_kind, prefix, tail, otherTail) => {
      expect(Buffer.byteLength(prefix)).toBe(72);
      const password = prefix + tail;
      const { account } = await signedUp(t, { password });

      const right = await login(t, { email: account.email, password });
      expect(right.errors).toBeUndefined();
      expect(right.data?.login.accessToken).toBeTruthy();

      for (const impostor of [prefix + otherTail, prefix]) {
        const wrong = await login(t, { email: account.email, password: impostor });
        expect(wrong.data ?? null).toBeNull();
        expect(wrong.errors?.[0]?.extensions).toEqual({ code: 'INVALID_CREDENTIALS' });
      }
    });
  });

  describe('updateProfile', () => {
    it.each([
      ['a javascript: URL', 'javascript:alert(1)'],
      ['an ftp URL', 'ftp://example.com/avatar.png'],
      ['a data: URL', 'data:image/png;base64,AAAA'],
      ['text that is not a URL', 'not a url'],
      ['a relative path', '/avatar.png'],
      ['a plain-http URL off this machine', 'http://example.com/avatar.png'],
      ['a plain-http URL whose host only starts like localhost', 'http://localhost.example.com/avatar.png'],
      ['a plain-http URL whose host only starts like a loopback address', 'http://127.0.0.1.example.com/avatar.png'],
    ])('answers BAD_USER_INPUT on avatarUrl for %s and changes nothing', async (_name, avatarUrl) => {
      const { account, token } = await signedUp(t);
      const response = await graphql(t.app, UPDATE_PROFILE, { token, variables: { name: 'Renamed', avatarUrl } });
      expectBadUserInput(response, 'avatarUrl');

      // The valid name sent alongside is not saved either.
      const me = await graphql<{ me: { name: string; avatarUrl: string | null } }>(t.app, ME, { token });
      expect(me.data?.me).toMatchObject({ name: account.name, avatarUrl: null });
    });

    it('answers BAD_USER_INPUT on name for an empty name and keeps the old one', async () => {
      const { account, token } = await signedUp(t);
      expectBadUserInput(await graphql(t.app, UPDATE_PROFILE, { token, variables: { name: '' } }), 'name');
      const me = await graphql<{ me: { name: string } }>(t.app, ME, { token });
      expect(me.data?.me.name).toBe(account.name);
    });
  });
});

describe('an unexpected database error', () => {
  let t: TestApp;
  beforeAll(async () => {
    // An app of its own: its database is broken on purpose.
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is masked as "Unexpected error." with a request id, leaks no SQL, stack or token, and is logged under that id', async () => {
    const { token } = await signedUp(t);
    await t.orm.em.fork().execute('alter table users rename column name to name_gone');

    const response = await graphql(t.app, ME, { token });
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toHaveLength(1);
    const [error] = response.errors!;
    expect(error?.message).toBe('Unexpected error.');
    expect(Object.keys(error?.extensions ?? {}).sort()).toEqual(['code', 'requestId']);
    expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    // Not an auth failure: a client must not log the user out over it.
    expect(response.status).not.toBe(401);

    const requestId = response.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    expect(error?.extensions?.requestId).toBe(requestId);

    // GraphQL's own `locations: [{ line, column }]` names the query position, not the database.
    const text = response.text.replace(/"locations":\[[^\]]*\]/g, '').toLowerCase();
    for (const leak of ['select', 'users', 'column', 'name_gone', 'at ', '.ts:', 'node_modules', 'stack']) {
      expect(text).not.toContain(leak);
    }
    expect(response.text).not.toContain(token);
    for (const part of token.split('.')) expect(response.text).not.toContain(part);

    const logged = t.logs.filter((line) => line.includes(requestId!));
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.some((line) => line.includes('unexpected error'))).toBe(true);
    expect(t.logs.join('\n')).not.toContain(token);
  });
});
