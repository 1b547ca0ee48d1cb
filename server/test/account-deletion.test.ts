import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { codeOf, expectUnauthenticated, graphql } from '@graphql-auth/test-kit/graphql-request';
import { createCookieJar } from '@graphql-auth/test-kit/cookie-jar';
import { startTestRelay, type TestRelay } from '@graphql-auth/test-kit/smtp-relay';
import { openMailbox, type Mailbox } from '@graphql-auth/test-kit/mailbox';
import { DELETE_ACCOUNT, LOGIN, ME, newAccount, REFRESH, REQUEST_PASSWORD_RESET, signUpOverBearer } from '@graphql-auth/test-kit/operations';


describe('deleteAccount', () => {
  let a: TestApp;
  let b: TestApp;
  let mail: Mailbox;
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay();
    a = await createTestApp({ SMTP_URL: relay.url, APP_NAME: 'Acme Accounts', TRUST_PROXY: 'true' });
    b = await a.createPeer();
    mail = openMailbox(a, relay);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await relay.stop();
  });

  const rowsOf = async (userId: string, email: string) => {
    const em = a.orm.em.fork();
    const count = async (sql: string, params: unknown[]) => Number((await em.execute<{ n: string }[]>(sql, params))[0]!.n);
    return {
      users: await count('select count(*) as n from users where id = ?', [userId]),
      sessions: await count('select count(*) as n from sessions where user_id = ?', [userId]),
      emailTokens: await count('select count(*) as n from email_tokens where user_id = ?', [userId]),
      ownedMail: await count('select count(*) as n from email_outbox where user_id = ?', [userId]),
      mailToAddress: await count('select count(*) as n from email_outbox where recipient = ?', [email]),
    };
  };

  it('deletes the account and what is kept about it, ends its sessions on every instance, clears the cookies and keeps the goodbye', async () => {
    const { account, session } = await signUpOverBearer(a.app);
    const browser = createCookieJar();
    await graphql(a.app, LOGIN, { jar: browser, variables: { input: { email: account.email, password: account.password } } });
    // A pending link and unsent mail of the account.
    await graphql(a.app, REQUEST_PASSWORD_RESET, { variables: { email: account.email } });
    await mail.nextEmailTo(account.email);
    await mail.nextEmailTo(account.email);
    const before = await rowsOf(session.user.id, account.email);
    expect(before).toMatchObject({ users: 1, sessions: 2, emailTokens: 2, ownedMail: 2 });
    // The other instance knows the session.
    expect(codeOf(await graphql(b.app, ME, { token: session.accessToken! }))).toBe('OK');

    const deleted = await graphql(a.app, DELETE_ACCOUNT, { jar: browser, variables: { currentPassword: account.password } });
    expect(deleted.data).toEqual({ deleteAccount: true });
    expect(browser.names().filter((name) => name !== 'device')).toEqual([]);

    expectUnauthenticated(await graphql(a.app, ME, { token: session.accessToken! }), 'SESSION_REVOKED');
    const deletedAt = performance.now();
    let onB = await graphql(b.app, ME, { token: session.accessToken! });
    while (onB.status !== 401 && performance.now() - deletedAt < 1000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      onB = await graphql(b.app, ME, { token: session.accessToken! });
    }
    expectUnauthenticated(onB, 'SESSION_REVOKED');
    expect(codeOf(await graphql(b.app, REFRESH, { variables: { refreshToken: session.refreshToken } }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await graphql(a.app, LOGIN, { variables: { input: { email: account.email, password: account.password } } }))).toBe('INVALID_CREDENTIALS');

    expect(await rowsOf(session.user.id, account.email)).toEqual({ users: 0, sessions: 0, emailTokens: 0, ownedMail: 0, mailToAddress: 1 });
    const goodbye = await mail.nextEmailTo(account.email);
    expect(goodbye.subject).toBe('Your Acme Accounts account was deleted');
    expect(goodbye.links).toEqual([]);
  });

  it('lets the same email sign up again afterwards, as a new account', async () => {
    const { account, session } = await signUpOverBearer(a.app);
    expect(codeOf(await graphql(a.app, DELETE_ACCOUNT, { token: session.accessToken!, variables: { currentPassword: account.password } }))).toBe('OK');
    const again = await signUpOverBearer(a.app, newAccount({ email: account.email, password: 'a different password' }));
    expect(again.session.user.id).not.toBe(session.user.id);
    expect(codeOf(await graphql(a.app, ME, { token: again.session.accessToken! }))).toBe('OK');
  });

  it('counts a wrong current password like a failed login, and deletes nothing', async () => {
    const { account, session } = await signUpOverBearer(a.app);
    const attempt = (currentPassword: string) =>
      graphql(a.app, DELETE_ACCOUNT, { token: session.accessToken!, variables: { currentPassword }, headers: { 'x-forwarded-for': '203.0.113.44' } });
    for (let guess = 1; guess <= 5; guess++) {
      expect((await attempt(`wrong guess ${guess}`)).errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS', field: 'currentPassword' });
    }
    const limited = await attempt(account.password);
    expect(limited.status).toBe(429);
    expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect((await rowsOf(session.user.id, account.email)).users).toBe(1);
    expect(codeOf(await graphql(a.app, ME, { token: session.accessToken! }))).toBe('OK');
  });

  it('needs a login', async () => {
    expectUnauthenticated(await graphql(a.app, DELETE_ACCOUNT, { variables: { currentPassword: 'whatever it is' } }), 'TOKEN_MISSING');
  });
});
