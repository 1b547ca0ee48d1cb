import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { codeOf, graphql } from '@graphql-auth/test-kit/graphql-request';
import { startTestRelay, type TestRelay } from '@graphql-auth/test-kit/smtp-relay';
import { openMailbox, tokenFromLink, type Mailbox } from '@graphql-auth/test-kit/mailbox';
import { CHANGE_EMAIL, CONFIRM_EMAIL_CHANGE, LOGIN, ME_VERIFIED, newAccount, REQUEST_PASSWORD_RESET, RESET_PASSWORD, SIGNUP, signUpOverBearer, type Account } from '@graphql-auth/test-kit/operations';

type MeData = { me: { id: string; email: string; emailVerified: boolean } };

describe('changing the email address', () => {
  let t: TestApp;
  let mail: Mailbox;
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay();
    t = await createTestApp({ SMTP_URL: relay.url, APP_NAME: 'Acme Accounts', TRUST_PROXY: 'true' });
    mail = openMailbox(t, relay);
  });
  afterAll(async () => {
    await t.close();
    await relay.stop();
  });

  /** Signs up over bearer and reads the verification email, so the next email to the address is whatever the test causes. */
  async function signUp(account: Account = newAccount()) {
    const { session } = await signUpOverBearer(t.app, account);
    await mail.nextEmailTo(account.email);
    return { account, session, accessToken: session.accessToken! };
  }

  const changeEmail = (accessToken: string, newEmail: string, currentPassword: string, ip = '198.51.100.7') =>
    graphql(t.app, CHANGE_EMAIL, { token: accessToken, variables: { newEmail, currentPassword }, headers: { 'x-forwarded-for': ip } });
  const confirm = (token: string) => graphql<{ confirmEmailChange: MeData['me'] }>(t.app, CONFIRM_EMAIL_CHANGE, { variables: { token } });
  const me = async (accessToken: string) => (await graphql<MeData>(t.app, ME_VERIFIED, { token: accessToken })).data?.me;
  const logIn = (email: string, password: string) => graphql(t.app, LOGIN, { variables: { input: { email, password }, transport: 'BEARER' } });

  it('changes nothing until the link sent to the new address is followed, then moves the account there, verified', async () => {
    const { account, session, accessToken } = await signUp();
    const newEmail = newAccount().email;
    const asked = await changeEmail(accessToken, newEmail, account.password);
    expect(asked.data).toEqual({ changeEmail: true });

    const confirmation = await mail.nextEmailTo(newEmail);
    expect(confirmation.subject).toBe('Confirm your new email address for Acme Accounts');
    const token = tokenFromLink(confirmation, '/confirm-email');
    expect(confirmation.links).toContain(`${t.config.publicOrigin}/confirm-email?token=${token}`);
    const warning = await mail.nextEmailTo(account.email);
    expect(warning.subject).toBe('Your Acme Accounts email address is about to change');
    expect(warning.text).toContain(newEmail);
    expect(warning.links).toEqual([]);
    expect(await me(accessToken)).toMatchObject({ email: account.email, emailVerified: false });

    const confirmed = await confirm(token);
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data?.confirmEmailChange).toEqual({ id: session.user.id, email: newEmail, emailVerified: true });
    expect(await me(accessToken)).toEqual({ id: session.user.id, email: newEmail, emailVerified: true });
    const notice = await mail.nextEmailTo(account.email);
    expect(notice.subject).toBe('Your Acme Accounts email address was changed');
    expect(notice.text).toContain(newEmail);

    expect(codeOf(await logIn(newEmail, account.password))).toBe('OK');
    expect(codeOf(await logIn(account.email, account.password))).toBe('INVALID_CREDENTIALS');
    // The link is spent, and the old address is free for someone else.
    expect((await confirm(token)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    expect(codeOf(await graphql(t.app, SIGNUP, { variables: { input: newAccount({ email: account.email }) } }))).toBe('OK');
  });

  it('stores the new address folded, and compares it with the current one and with others case-insensitively', async () => {
    const { account, accessToken } = await signUp();
    const { account: other } = await signUp();
    const same = await changeEmail(accessToken, `  ${account.email.toUpperCase()}`, account.password);
    expect(same.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newEmail' });
    const taken = await changeEmail(accessToken, other.email.toUpperCase(), account.password);
    expect(taken.errors?.[0]?.extensions).toMatchObject({ code: 'EMAIL_TAKEN', field: 'newEmail' });

    const fresh = newAccount().email;
    expect(codeOf(await changeEmail(accessToken, fresh.toUpperCase(), account.password))).toBe('OK');
    expect(tokenFromLink(await mail.nextEmailTo(fresh), '/confirm-email')).toBeTruthy();
  });

  it('refuses an address that cannot be one on newEmail, and needs a login', async () => {
    const { account, accessToken } = await signUp();
    for (const newEmail of ['no at sign', `${'x'.repeat(250)}@example.com`, 'ada\u202e@example.com']) {
      expect((await changeEmail(accessToken, newEmail, account.password)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newEmail' });
    }
    const anonymous = await graphql(t.app, CHANGE_EMAIL, { variables: { newEmail: newAccount().email, currentPassword: account.password } });
    expect(anonymous.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('counts a wrong current password like a failed login: the sixth is refused, then even the right one', async () => {
    const { account, accessToken } = await signUp();
    const newEmail = newAccount().email;
    for (let attempt = 1; attempt <= 5; attempt++) {
      const wrong = await changeEmail(accessToken, newEmail, `wrong guess ${attempt}`, '198.51.100.8');
      expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS', field: 'currentPassword' });
    }
    const limited = await changeEmail(accessToken, newEmail, account.password, '198.51.100.8');
    expect(limited.status).toBe(429);
    expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(await mail.emailsTo(newEmail)).toEqual([]);
    // Only the address's own count is used up: the owner's other logins go on.
    expect(codeOf(await logIn(account.email, account.password))).toBe('OK');
  });

  it('answers EMAIL_TAKEN when the address was taken before the link was followed, and the link is spent', async () => {
    const { account, accessToken } = await signUp();
    const wanted = newAccount().email;
    expect(codeOf(await changeEmail(accessToken, wanted, account.password))).toBe('OK');
    const token = tokenFromLink(await mail.nextEmailTo(wanted), '/confirm-email');
    expect(codeOf(await graphql(t.app, SIGNUP, { variables: { input: newAccount({ email: wanted }) } }))).toBe('OK');

    const taken = await confirm(token);
    expect(taken.status).toBe(200);
    expect(taken.errors?.[0]?.extensions).toMatchObject({ code: 'EMAIL_TAKEN' });
    expect(await me(accessToken)).toMatchObject({ email: account.email });
    expect((await confirm(token)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
  });

  it('lets one of two accounts racing for one address have it', async () => {
    const first = await signUp();
    const second = await signUp();
    const wanted = newAccount().email;
    await changeEmail(first.accessToken, wanted, first.account.password);
    await changeEmail(second.accessToken, wanted, second.account.password);
    const tokens = [tokenFromLink(await mail.nextEmailTo(wanted), '/confirm-email'), tokenFromLink(await mail.nextEmailTo(wanted), '/confirm-email')];
    const answers = await Promise.all(tokens.map(confirm));
    expect(answers.map(codeOf).sort()).toEqual(['EMAIL_TAKEN', 'OK']);
    const owners = await t.orm.em.fork().execute<{ id: string }[]>('select id from users where email = ?', [wanted]);
    expect(owners).toHaveLength(1);
  });

  it('is cancelled by a password change: the pending link stops working', async () => {
    const { account, accessToken } = await signUp();
    const wanted = newAccount().email;
    await changeEmail(accessToken, wanted, account.password);
    const token = tokenFromLink(await mail.nextEmailTo(wanted), '/confirm-email');
    const change = await graphql(t.app, 'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }', {
      token: accessToken,
      variables: { c: account.password, n: 'the owner took it back' },
    });
    expect(change.errors).toBeUndefined();
    expect(codeOf(await confirm(token))).toBe('BAD_USER_INPUT');
    expect(await me(accessToken)).toMatchObject({ email: account.email });
  });

  it('is cancelled by a password reset, and a reset link sent to the old address dies with the move', async () => {
    const { account, accessToken } = await signUp();
    const wanted = newAccount().email;
    await changeEmail(accessToken, wanted, account.password);
    const pending = tokenFromLink(await mail.nextEmailTo(wanted), '/confirm-email');
    await mail.nextEmailTo(account.email);
    await graphql(t.app, REQUEST_PASSWORD_RESET, { variables: { email: account.email } });
    const resetToken = tokenFromLink(await mail.nextEmailTo(account.email), '/reset-password');
    expect(codeOf(await graphql(t.app, RESET_PASSWORD, { variables: { token: resetToken, newPassword: 'the owner took it back' } }))).toBe('OK');
    expect(codeOf(await confirm(pending))).toBe('BAD_USER_INPUT');

    // Moved for real this time: a reset link still out for the old address stops working.
    const { account: mover, accessToken: moverToken } = await signUp();
    await graphql(t.app, REQUEST_PASSWORD_RESET, { variables: { email: mover.email } });
    const oldReset = tokenFromLink(await mail.nextEmailTo(mover.email), '/reset-password');
    const elsewhere = newAccount().email;
    await changeEmail(moverToken, elsewhere, mover.password);
    expect(codeOf(await confirm(tokenFromLink(await mail.nextEmailTo(elsewhere), '/confirm-email')))).toBe('OK');
    expect(codeOf(await graphql(t.app, RESET_PASSWORD, { variables: { token: oldReset, newPassword: 'whoever reads the old box' } }))).toBe('BAD_USER_INPUT');
  });
});
