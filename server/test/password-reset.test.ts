import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { codeOf, expectUnauthenticated, graphql, type GraphQLResponse } from '@graphql-auth/test-kit/graphql-request';
import { createCookieJar } from '@graphql-auth/test-kit/cookie-jar';
import { startTestRelay, type TestRelay } from '@graphql-auth/test-kit/smtp-relay';
import { openMailbox, tokenFromLink, type Mailbox } from '@graphql-auth/test-kit/mailbox';
import { CONFIRM_EMAIL_CHANGE, LOGIN, ME, ME_VERIFIED, newAccount, REFRESH, REQUEST_PASSWORD_RESET, RESET_PASSWORD, signUpOverBearer, VERIFY_EMAIL, type AuthPayloadData, type Account } from '@graphql-auth/test-kit/operations';
import { deleteExpiredRecords } from '../src/maintenance/cleanup.ts';

type ResetData = { resetPassword: AuthPayloadData & { user: { emailVerified: boolean } } };

const MINUTE = 60_000;
/** Signs up over bearer and reads the verification email, so the next email to the address is whatever the test causes. */
async function signUp(t: TestApp, mail: Mailbox, account: Account = newAccount()) {
  const { session } = await signUpOverBearer(t.app, account);
  const welcome = await mail.nextEmailTo(account.email);
  return { account, session, verificationToken: tokenFromLink(welcome, '/verify-email') };
}

const logIn = (t: TestApp, email: string, password: string, ip?: string) =>
  graphql<{ login: AuthPayloadData }>(t.app, LOGIN, { variables: { input: { email, password }, transport: 'BEARER' }, headers: ip ? { 'x-forwarded-for': ip } : {} });

/** Asks for a reset link for `email` and returns the token of the link that arrives. */
async function resetToken(t: TestApp, mail: Mailbox, email: string): Promise<string> {
  const request = await graphql(t.app, REQUEST_PASSWORD_RESET, { variables: { email } });
  expect(request.data).toEqual({ requestPasswordReset: true });
  return tokenFromLink(await mail.nextEmailTo(email), '/reset-password');
}

const reset = (t: TestApp, token: string, newPassword = 'a fresh long password', transport = 'BEARER', ip?: string) =>
  graphql<ResetData>(t.app, RESET_PASSWORD, { variables: { token, newPassword, transport }, headers: ip ? { 'x-forwarded-for': ip } : {} });

/** The one answer to a link that does not work: BAD_USER_INPUT on `token`, no data, nothing masked. */
function expectDeadLink(response: GraphQLResponse<unknown>): string {
  expect(response.status).toBe(200);
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
  expect(response.text).not.toContain('Unexpected error');
  return response.errors![0]!.message;
}

describe('a password reset through the emailed link', () => {
  let t: TestApp;
  let mail: Mailbox;
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay();
    t = await createTestApp({ SMTP_URL: relay.url, APP_NAME: 'Acme Accounts', PASSWORD_RESET_LIMIT_IP: 'off' });
    mail = openMailbox(t, relay);
  });
  afterAll(async () => {
    await t.close();
    await relay.stop();
  });

  it('emails a link to PUBLIC_ORIGIN/reset-password that says how long it works', async () => {
    const { account } = await signUp(t, mail);
    await graphql(t.app, REQUEST_PASSWORD_RESET, { variables: { email: account.email } });
    const email = await mail.nextEmailTo(account.email);
    expect(email.subject).toBe('Reset your Acme Accounts password');
    const token = tokenFromLink(email, '/reset-password');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(email.links).toContain(`${t.config.publicOrigin}/reset-password?token=${token}`);
    expect(email.text).toContain('30 minutes');
    expect(email.html).toContain(`href="${t.config.publicOrigin}/reset-password?token=${token}"`);
    expect(email.html).toContain('Acme Accounts');
  });

  it('ends every old session, logs in on this device with cookies, marks the email verified and emails a notice', async () => {
    const { account, session } = await signUp(t, mail);
    const elsewhere = (await logIn(t, account.email, account.password)).data!.login;
    const token = await resetToken(t, mail, account.email);

    const browser = createCookieJar();
    const answer = await graphql<ResetData>(t.app, RESET_PASSWORD, { jar: browser, variables: { token, newPassword: 'a fresh long password' } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.resetPassword).toMatchObject({ user: { id: session.user.id, email: account.email, emailVerified: true }, accessToken: null, refreshToken: null });
    expect(browser.names()).toEqual(expect.arrayContaining(['access-token', 'refresh-token', 'device']));
    const me = await graphql<{ me: { id: string; emailVerified: boolean } }>(t.app, ME_VERIFIED, { jar: browser });
    expect(me.data?.me).toEqual({ id: session.user.id, email: account.email, emailVerified: true });

    for (const old of [session, elsewhere]) {
      expectUnauthenticated(await graphql(t.app, ME, { token: old.accessToken! }), 'SESSION_REVOKED');
      expect(codeOf(await graphql(t.app, REFRESH, { variables: { refreshToken: old.refreshToken } }))).toBe('UNAUTHENTICATED');
    }
    expect(codeOf(await logIn(t, account.email, account.password))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await logIn(t, account.email, 'a fresh long password'))).toBe('OK');

    const notice = await mail.nextEmailTo(account.email);
    expect(notice.subject).toBe('Your Acme Accounts password was reset');
    expect(notice.links).toEqual([]);
  });

  it('hands a bearer client its tokens in the payload, and they work', async () => {
    const { account } = await signUp(t, mail);
    const answer = await reset(t, await resetToken(t, mail, account.email), 'a fresh long password', 'BEARER');
    expect(answer.errors).toBeUndefined();
    const { accessToken, refreshToken } = answer.data!.resetPassword;
    expect(accessToken).toEqual(expect.any(String));
    expect(answer.headers.getSetCookie()).toEqual([]);
    expect((await graphql<{ me: { email: string } }>(t.app, ME, { token: accessToken! })).data?.me.email).toBe(account.email);
    expect(codeOf(await graphql(t.app, REFRESH, { variables: { refreshToken } }))).toBe('OK');
  });

  it('works once: the same link again is refused and changes nothing', async () => {
    const { account } = await signUp(t, mail);
    const token = await resetToken(t, mail, account.email);
    expect(codeOf(await reset(t, token, 'the first new password'))).toBe('OK');
    expectDeadLink(await reset(t, token, 'the second new password'));
    expect(codeOf(await logIn(t, account.email, 'the first new password'))).toBe('OK');
    expect(codeOf(await logIn(t, account.email, 'the second new password'))).toBe('INVALID_CREDENTIALS');
  });

  it('checks the new password first: a bad one is refused on newPassword and the link still works', async () => {
    const { account } = await signUp(t, mail);
    const token = await resetToken(t, mail, account.email);
    for (const bad of ['short', 'x'.repeat(129)]) {
      const refused = await reset(t, token, bad);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    }
    expect(codeOf(await reset(t, token))).toBe('OK');
  });

  it('refuses a link once its 30 minutes have passed, and the cleanup deletes it', async () => {
    const { account, session } = await signUp(t, mail);
    const fresh = await resetToken(t, mail, account.email);
    t.clock.advance(29 * MINUTE);
    expect(codeOf(await reset(t, fresh))).toBe('OK');
    expect((await mail.nextEmailTo(account.email)).subject).toContain('password was reset');

    const expiring = await resetToken(t, mail, account.email);
    t.clock.advance(30 * MINUTE + 1000);
    expectDeadLink(await reset(t, expiring, 'another new password'));
    const tokensOf = () => t.orm.em.fork().execute('select 1 from email_tokens where user_id = ? and purpose = ?', [session.user.id, 'password_reset']);
    expect(await tokensOf()).toHaveLength(1);
    const deleted = await deleteExpiredRecords(t.orm.em.fork(), { now: t.clock.now(), accessTokenTtlMs: t.config.accessTokenTtlMs });
    expect(deleted.emailTokens).toBeGreaterThanOrEqual(1);
    expect(await tokensOf()).toHaveLength(0);
  });

  it('refuses an older link once a newer one was sent', async () => {
    const { account } = await signUp(t, mail);
    const older = await resetToken(t, mail, account.email);
    const newer = await resetToken(t, mail, account.email);
    expectDeadLink(await reset(t, older));
    expect(codeOf(await reset(t, newer))).toBe('OK');
  });

  it('lets exactly one of six simultaneous resets with one link through', async () => {
    const { account } = await signUp(t, mail);
    const token = await resetToken(t, mail, account.email);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, index) => reset(t, token, `racing password ${index}`)));
    const winners = answers.flatMap((answer, index) => (codeOf(answer) === 'OK' ? [index] : []));
    expect(winners).toHaveLength(1);
    for (const loser of answers.filter((answer) => codeOf(answer) !== 'OK')) expectDeadLink(loser);
    for (let index = 0; index < 6; index++) {
      expect(codeOf(await logIn(t, account.email, `racing password ${index}`))).toBe(index === winners[0] ? 'OK' : 'INVALID_CREDENTIALS');
    }
  });

  it('sends the link to the stored address however the email is typed', async () => {
    const { account } = await signUp(t, mail);
    const request = await graphql(t.app, REQUEST_PASSWORD_RESET, { variables: { email: `  ${account.email.toUpperCase()} ` } });
    expect(request.data).toEqual({ requestPasswordReset: true });
    expect(codeOf(await reset(t, tokenFromLink(await mail.nextEmailTo(account.email), '/reset-password')))).toBe('OK');
  });

  it('refuses an email that cannot be an address, on the email field', async () => {
    for (const email of ['not an email', `${'a'.repeat(250)}@example.com`, 'ada\u200b@example.com']) {
      const refused = await graphql(t.app, REQUEST_PASSWORD_RESET, { variables: { email } });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    }
  });
});

describe('links that do not work', () => {
  let t: TestApp;
  let mail: Mailbox;
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay();
    t = await createTestApp({ SMTP_URL: relay.url });
    mail = openMailbox(t, relay);
  });
  afterAll(async () => {
    await t.close();
    await relay.stop();
  });

  it('answer BAD_USER_INPUT on token with one message, whatever is wrong with them, and leave the real link working', async () => {
    const { account, session, verificationToken } = await signUp(t, mail);
    const token = await resetToken(t, mail, account.email);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    const hostile = [
      '',
      'a'.repeat(10_000),
      '!!!!not+base64/at=all!!!!!!!!!!!!!!!!!!!!!!',
      token.slice(0, -1),
      `${token}A`,
      token.slice(0, -1) + last,
      token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase(),
      session.refreshToken!,
      session.accessToken!,
      verificationToken,
    ];
    const messages = new Set<string>();
    for (const candidate of hostile) messages.add(expectDeadLink(await reset(t, candidate)));
    expect(messages.size).toBe(1);
    // A reset link is no good for the other purposes either, and trying it there does not spend it.
    messages.add(expectDeadLink(await graphql(t.app, VERIFY_EMAIL, { variables: { token } })));
    messages.add(expectDeadLink(await graphql(t.app, CONFIRM_EMAIL_CHANGE, { variables: { token } })));
    expect(messages.size).toBe(1);

    // Hostile bytes are refused before any token is looked at, on the same field.
    const withNul = await reset(t, `${token.slice(0, 20)}\u0000${token.slice(20)}`);
    expect(withNul.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });

    expect(codeOf(await reset(t, token))).toBe('OK');
  });
});

describe('requestPasswordReset for emails with and without an account', () => {
  let t: TestApp;
  let mail: Mailbox;
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay();
    t = await createTestApp({ SMTP_URL: relay.url, TRUST_PROXY: 'true', PASSWORD_RESET_LIMIT_EMAIL: '2/1h', PASSWORD_RESET_LIMIT_IP: '4/1h' });
    mail = openMailbox(t, relay);
  });
  afterAll(async () => {
    await t.close();
    await relay.stop();
  });

  const request = (email: string, ip: string) => graphql(t.app, REQUEST_PASSWORD_RESET, { variables: { email }, headers: { 'x-forwarded-for': ip } });

  function expectRateLimited(response: GraphQLResponse<unknown>) {
    expect(response.status).toBe(429);
    const extensions = response.errors?.[0]?.extensions;
    expect(extensions?.code).toBe('RATE_LIMITED');
    expect(Number.isInteger(extensions?.retryAfter)).toBe(true);
    expect(extensions?.retryAfter).toBeGreaterThan(0);
    expect(extensions?.retryAfter).toBeLessThanOrEqual(3600);
    expect(response.headers.get('retry-after')).toBe(String(extensions?.retryAfter));
  }

  it('answers an unknown email exactly as a known one, counts it alike, and sends it nothing', async () => {
    const { account } = await signUp(t, mail);
    const ghost = newAccount().email;
    const answers: Record<string, string[]> = { [ghost]: [], [account.email]: [] };
    // The unknown email first: the known one's links arriving then means the unknown one's turn has passed.
    for (const email of [ghost, account.email]) {
      for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
        const response = await request(email, ip);
        answers[email]!.push(`${response.status} ${response.text}`);
      }
    }
    expect(answers[ghost]).toEqual(answers[account.email]);
    expect(answers[ghost]!.slice(0, 2)).toEqual(Array(2).fill('200 {"data":{"requestPasswordReset":true}}'));
    expect(answers[ghost]![2]).toMatch(/^429 /);

    await mail.nextEmailTo(account.email);
    await mail.nextEmailTo(account.email);
    expect(await mail.emailsTo(ghost)).toEqual([]);
  });

  it('limits requests per email across addresses, with retryAfter, until the window has passed', async () => {
    const { account } = await signUp(t, mail);
    expect(codeOf(await request(account.email, '203.0.113.1'))).toBe('OK');
    expect(codeOf(await request(account.email, '203.0.113.2'))).toBe('OK');
    expectRateLimited(await request(account.email, '203.0.113.3'));
    t.clock.advance(60 * MINUTE + 1000);
    expect(codeOf(await request(account.email, '203.0.113.4'))).toBe('OK');
  });

  it('limits requests per IP across emails, with retryAfter, while other addresses go on', async () => {
    for (let index = 0; index < 4; index++) expect(codeOf(await request(newAccount().email, '203.0.113.50'))).toBe('OK');
    expectRateLimited(await request(newAccount().email, '203.0.113.50'));
    expect(codeOf(await request(newAccount().email, '203.0.113.51'))).toBe('OK');
  });

  it('runs one request per document: aliases cannot ask for many links at once', async () => {
    const response = await graphql(t.app, 'mutation { a: requestPasswordReset(email: "a@example.com") b: requestPasswordReset(email: "b@example.com") }');
    expect(codeOf(response)).toBe('BAD_USER_INPUT');
  });
});

describe('a reset and the login limits', () => {
  let t: TestApp;
  let mail: Mailbox;
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay();
    t = await createTestApp({ SMTP_URL: relay.url, TRUST_PROXY: 'true' });
    mail = openMailbox(t, relay);
  });
  afterAll(async () => {
    await t.close();
    await relay.stop();
  });

  it("starts the resetting address's failed attempts on the account afresh, as a login would", async () => {
    const { account } = await signUp(t, mail);
    for (let attempt = 1; attempt <= 5; attempt++) expect(codeOf(await logIn(t, account.email, 'a wrong guess', '192.0.2.9'))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await logIn(t, account.email, account.password, '192.0.2.9'))).toBe('RATE_LIMITED');
    expect(codeOf(await reset(t, await resetToken(t, mail, account.email), 'a fresh long password', 'BEARER', '192.0.2.9'))).toBe('OK');
    expect(codeOf(await logIn(t, account.email, 'a fresh long password', '192.0.2.9'))).toBe('OK');
  });
});

describe('logins with the old password racing a reset', () => {
  let t: TestApp;
  let mail: Mailbox;
  let relay: TestRelay;
  beforeAll(async () => {
    // A hash slow enough (cost 8) that logins are still checking the old password while the reset commits.
    relay = await startTestRelay();
    t = await createTestApp({ SMTP_URL: relay.url, BCRYPT_COST: '8', LOGIN_LIMIT_ACCOUNT_IP: 'off', LOGIN_LIMIT_ACCOUNT: 'off', LOGIN_LIMIT_IP: 'off' });
    mail = openMailbox(t, relay);
  });
  afterAll(async () => {
    await t.close();
    await relay.stop();
  });

  it('leave no session alive once the reset has committed (three attackers, three rounds)', async () => {
    for (let round = 0; round < 3; round++) {
      const { account } = await signUp(t, mail);
      const token = await resetToken(t, mail, account.email);
      let done = false;
      const stolen: AuthPayloadData[] = [];
      const attacker = async () => {
        while (!done) {
          const attempt = await logIn(t, account.email, account.password);
          if (attempt.data?.login) stolen.push(attempt.data.login);
        }
      };
      const attackers = [attacker(), attacker(), attacker()];
      while (stolen.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
      const answer = await reset(t, token, `the owner's new password ${round}`);
      expect(answer.errors).toBeUndefined();
      done = true;
      await Promise.all(attackers);

      for (const session of stolen) {
        expectUnauthenticated(await graphql(t.app, ME, { token: session.accessToken! }), 'SESSION_REVOKED');
        expect(codeOf(await graphql(t.app, REFRESH, { variables: { refreshToken: session.refreshToken } }))).toBe('UNAUTHENTICATED');
      }
      expect(codeOf(await logIn(t, account.email, account.password))).toBe('INVALID_CREDENTIALS');
      expect(codeOf(await graphql(t.app, ME, { token: answer.data!.resetPassword.accessToken! }))).toBe('OK');
    }
  });
});

describe('changePassword', () => {
  let t: TestApp;
  let mail: Mailbox;
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay();
    t = await createTestApp({ SMTP_URL: relay.url, APP_NAME: 'Acme Accounts' });
    mail = openMailbox(t, relay);
  });
  afterAll(async () => {
    await t.close();
    await relay.stop();
  });

  it('emails a notice to the account', async () => {
    const { account, session } = await signUp(t, mail);
    const change = await graphql(t.app, 'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }', {
      token: session.accessToken!,
      variables: { c: account.password, n: 'another long secret' },
    });
    expect(change.errors).toBeUndefined();
    const notice = await mail.nextEmailTo(account.email);
    expect(notice.subject).toBe('Your Acme Accounts password was changed');
    expect(notice.text).toContain('Forgot password?');
  });

  it('emails nothing when the current password is wrong', async () => {
    const { account, session } = await signUp(t, mail);
    const change = await graphql(t.app, 'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }', {
      token: session.accessToken!,
      variables: { c: 'not the password', n: 'another long secret' },
    });
    expect(codeOf(change)).toBe('INVALID_CREDENTIALS');
    expect(await mail.emailsTo(account.email)).toHaveLength(1);
  });
});
