import { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { createTestDatabase } from '@graphql-auth/test-kit/test-database';
import { graphql, type GraphQLResponse } from '@graphql-auth/test-kit/graphql-request';
import { LOGIN, LOGOUT, ME, newAccount, REFRESH, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';
import { ormConfig } from '../src/database/mikro-orm.config.ts';

function expectBadUserInput(response: GraphQLResponse<unknown>, field: string) {
  expect(response.status).toBe(200);
  expect(response.data ?? null).toBeNull();
  expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
  expect(response.text).not.toContain('Unexpected error');
}

describe('hostile bytes in string inputs', () => {
  let t: TestApp;
  let token: string;
  let refreshToken: string;
  let account: ReturnType<typeof newAccount>;
  beforeAll(async () => {
    t = await createTestApp();
    account = newAccount();
    const signedUp = await graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input: account, transport: 'BEARER' } });
    token = signedUp.data!.signup.accessToken!;
    refreshToken = signedUp.data!.signup.refreshToken!;
  });
  afterAll(() => t.close());

  const userCount = async () => Number((await t.orm.em.fork().execute<{ count: string }[]>('select count(*) as count from users'))[0]?.count);

  it.each([
    ['a NUL byte', 'Ada\u0000Lovelace'],
    ['a line feed', 'Ada\nLovelace'],
    ['an escape character', 'Ada\u001b[31m'],
    ['a lone surrogate', 'Ada\ud800'],
  ])('answers BAD_USER_INPUT naming the field for %s, in every mutation, and changes nothing', async (_what, hostile) => {
    const before = await userCount();
    expectBadUserInput(await graphql(t.app, SIGNUP, { variables: { input: { ...newAccount(), name: hostile } } }), 'name');
    expectBadUserInput(await graphql(t.app, SIGNUP, { variables: { input: { ...newAccount(), email: `${hostile}@example.com` } } }), 'email');
    expectBadUserInput(await graphql(t.app, SIGNUP, { variables: { input: { ...newAccount(), password: `long enough ${hostile}` } } }), 'password');
    expect(await userCount()).toBe(before);

    expectBadUserInput(await graphql(t.app, LOGIN, { variables: { input: { email: `${hostile}@example.com`, password: account.password } } }), 'email');
    expectBadUserInput(await graphql(t.app, LOGIN, { variables: { input: { email: account.email, password: hostile } } }), 'password');
    expectBadUserInput(await graphql(t.app, REFRESH, { variables: { refreshToken: `${refreshToken}${hostile}` } }), 'refreshToken');
    expectBadUserInput(await graphql(t.app, LOGOUT, { variables: { refreshToken: hostile } }), 'refreshToken');
    expectBadUserInput(await graphql(t.app, 'mutation($id: ID!) { revokeSession(id: $id) }', { token, variables: { id: hostile } }), 'id');
    expectBadUserInput(
      await graphql(t.app, 'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }', {
        token,
        variables: { c: account.password, n: `new password ${hostile}` },
      }),
      'newPassword',
    );
    expectBadUserInput(await graphql(t.app, 'mutation($name: String) { updateProfile(name: $name) { name } }', { token, variables: { name: hostile } }), 'name');

    // The session still works and the profile is as it was.
    const me = await graphql<{ me: { name: string } }>(t.app, ME, { token });
    expect(me.data?.me.name).toBe(account.name);
  });

  it('keeps characters outside the Basic Multilingual Plane (a surrogate pair is one character)', async () => {
    const response = await graphql<{ updateProfile: { name: string } }>(t.app, 'mutation($name: String) { updateProfile(name: $name) { name } }', { token, variables: { name: 'Ada \u{1F600}' } });
    expect(response.data?.updateProfile.name).toBe('Ada \u{1F600}');
    await graphql(t.app, 'mutation($name: String) { updateProfile(name: $name) { name } }', { token, variables: { name: account.name } });
  });

  it('catches a NUL written inline in the document, not only in variables', async () => {
    const response = await graphql(t.app, 'mutation { updateProfile(name: "Ada\\u0000") { name } }', { token });
    expectBadUserInput(response, 'name');
  });

  it('logs no error for any of it', () => {
    const errors = t.logs.map((line) => JSON.parse(line) as { level: number }).filter((line) => line.level >= 50);
    expect(errors).toEqual([]);
  });
});

describe('look-alike emails', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const signup = (email: string) => graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input: newAccount({ email }), transport: 'BEARER' } });

  it.each([
    ['a decomposed accent', 'jos\u00e9-1@example.com', 'jose\u0301-1@example.com'],
    ['fullwidth letters', 'jose-2@example.com', '\uff4a\uff4f\uff53\uff45-2@example.com'],
    ['a ligature', 'fine-3@example.com', '\ufb01ne-3@example.com'],
    ['upper case after folding', 'jose-4@example.com', '\uff2a\uff2f\uff33\uff25-4@EXAMPLE.COM'],
  ])('treats %s as the same address: EMAIL_TAKEN on sign-up, and the owner logs in with either spelling', async (_what, original, lookAlike) => {
    const first = await signup(original);
    expect(first.errors).toBeUndefined();
    expect(first.data?.signup.user.email).toBe(original.normalize('NFKC').toLowerCase());
    const second = await signup(lookAlike);
    expect(second.errors?.[0]?.extensions?.code).toBe('EMAIL_TAKEN');
    const login = await graphql(t.app, LOGIN, { variables: { input: { email: lookAlike, password: 'correct horse battery' } } });
    expect(login.errors).toBeUndefined();
  });

  it.each([
    ['a zero-width space', 'jo\u200bse@example.com'],
    ['a zero-width joiner', 'jo\u200dse@example.com'],
    ['a right-to-left override', 'jose\u202e@example.com'],
    ['a byte-order mark', '\ufeffjose@example.com'],
  ])('refuses %s in an email with BAD_USER_INPUT on email, at sign-up and login', async (_what, email) => {
    expectBadUserInput(await signup(email), 'email');
    expectBadUserInput(await graphql(t.app, LOGIN, { variables: { input: { email, password: 'correct horse battery' } } }), 'email');
  });
});

describe('the migration that normalises stored emails', () => {
  const BEFORE = '20261125-rate-limit-counters';

  async function databaseAt(migration: string) {
    const database = await createTestDatabase();
    const orm = await MikroORM.init(ormConfig(database.url));
    await orm.migrator.up({ to: migration });
    return { database, orm };
  }

  const insertUser = (orm: MikroORM, email: string) =>
    orm.em.fork().execute(
      `insert into users (id, email, name, password_hash, created_at, updated_at) values (gen_random_uuid(), ?, 'Old', 'x', now(), now()) returning id`,
      [email],
    ) as Promise<{ id: string }[]>;

  it('rewrites existing emails into the normalised form', async () => {
    const { database, orm } = await databaseAt(BEFORE);
    try {
      await insertUser(orm, 'jose\u0301@example.com');
      await insertUser(orm, '\uff21\uff24\uff21@example.com');
      await orm.migrator.up();
      const rows = await orm.em.fork().execute<{ email: string }[]>('select email from users order by email');
      expect(rows.map((row) => row.email)).toEqual(['ada@example.com', 'jos\u00e9@example.com']);
    } finally {
      await orm.close();
      await database.drop();
    }
  });

  it('stops with a message naming the colliding accounts, and changes nothing', async () => {
    const { database, orm } = await databaseAt(BEFORE);
    try {
      const [composed] = await insertUser(orm, 'jos\u00e9@example.com');
      const [decomposed] = await insertUser(orm, 'jose\u0301@example.com');
      await expect(orm.migrator.up()).rejects.toThrow(new RegExp(`${composed!.id}.*${decomposed!.id}|${decomposed!.id}.*${composed!.id}`));
      const rows = await orm.em.fork().execute<{ email: string }[]>('select email from users order by email');
      expect(rows.map((row) => row.email).sort()).toEqual(['jos\u00e9@example.com', 'jose\u0301@example.com'].sort());
      const applied = await orm.migrator.getExecuted();
      expect(applied.map((migration) => migration.name)).not.toContain('20261204-normalized-emails');
    } finally {
      await orm.close();
      await database.drop();
    }
  });
});
