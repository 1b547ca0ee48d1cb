import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { codeOf, expectUnauthenticated, graphql } from '@graphql-auth/test-kit/graphql-request';
import { createCookieJar } from '@graphql-auth/test-kit/cookie-jar';
import { startTestRelay, type TestRelay } from '@graphql-auth/test-kit/smtp-relay';
import { openMailbox, tokenFromLink, type Mailbox } from '@graphql-auth/test-kit/mailbox';
import { LOGIN, ME_VERIFIED, newAccount, SEND_VERIFICATION_EMAIL, SIGNUP, signUpOverBearer, VERIFY_EMAIL, type AuthPayloadData, type Account } from '@graphql-auth/test-kit/operations';

type MeData = { me: { id: string; email: string; emailVerified: boolean } };

const verify = (t: TestApp, token: string) => graphql<{ verifyEmail: MeData['me'] }>(t.app, VERIFY_EMAIL, { variables: { token } });

describe('the verification email', () => {
  let t: TestApp;
  let mail: Mailbox;
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay();
    t = await createTestApp({ SMTP_URL: relay.url, APP_NAME: 'Acme Accounts', VERIFICATION_EMAIL_LIMIT_USER: '3/1h' });
    mail = openMailbox(t, relay);
  });
  afterAll(async () => {
    await t.close();
    await relay.stop();
  });

  it('is sent at sign-up, and its link proves the address without a login, once', async () => {
    const { account, session } = await signUpOverBearer(t.app);
    const me = await graphql<MeData>(t.app, ME_VERIFIED, { token: session.accessToken! });
    expect(me.data?.me.emailVerified).toBe(false);

    const email = await mail.nextEmailTo(account.email);
    expect(email.subject).toBe('Confirm your email address for Acme Accounts');
    expect(email.text).toContain('24 hours');
    const token = tokenFromLink(email, '/verify-email');
    expect(email.links).toContain(`${t.config.publicOrigin}/verify-email?token=${token}`);

    const verified = await verify(t, token);
    expect(verified.errors).toBeUndefined();
    expect(verified.data?.verifyEmail).toEqual({ id: session.user.id, email: account.email, emailVerified: true });
    expect((await graphql<MeData>(t.app, ME_VERIFIED, { token: session.accessToken! })).data?.me.emailVerified).toBe(true);
    expect((await verify(t, token)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
  });

  it('escapes the name in the HTML body', async () => {
    const { account } = await signUpOverBearer(t.app, newAccount({ name: '<img src=x onerror=alert(1)> & "Ada"' }));
    const email = await mail.nextEmailTo(account.email);
    expect(email.html).toContain('Hello &lt;img src=x onerror=alert(1)&gt; &amp; &quot;Ada&quot;,');
    expect(email.html).not.toContain('<img');
    expect(email.text).toContain('Hello <img src=x onerror=alert(1)> & "Ada",');
    expect(email.subject).not.toContain('Ada');
  });

  it('is sent again on request, and the newer link supersedes the older one', async () => {
    const { account, session } = await signUpOverBearer(t.app);
    const older = tokenFromLink(await mail.nextEmailTo(account.email), '/verify-email');
    const resend = await graphql(t.app, SEND_VERIFICATION_EMAIL, { token: session.accessToken! });
    expect(resend.data).toEqual({ sendVerificationEmail: true });
    const newer = tokenFromLink(await mail.nextEmailTo(account.email), '/verify-email');
    expect(newer).not.toBe(older);
    expect(codeOf(await verify(t, older))).toBe('BAD_USER_INPUT');
    expect(codeOf(await verify(t, newer))).toBe('OK');
  });

  it('is not sent again once the address is proven, and the answer is still true', async () => {
    const { account, session } = await signUpOverBearer(t.app);
    await verify(t, tokenFromLink(await mail.nextEmailTo(account.email), '/verify-email'));
    const resend = await graphql(t.app, SEND_VERIFICATION_EMAIL, { token: session.accessToken! });
    expect(resend.data).toEqual({ sendVerificationEmail: true });
    // Another account's email, sent after, has arrived: the resend had its chance to queue one.
    const { account: later } = await signUpOverBearer(t.app);
    await mail.nextEmailTo(later.email);
    expect(await mail.emailsTo(account.email)).toHaveLength(1);
  });

  it('is sent again at most as often as the per-account limit allows, then RATE_LIMITED with retryAfter', async () => {
    const { session } = await signUpOverBearer(t.app);
    for (let attempt = 1; attempt <= 3; attempt++) expect(codeOf(await graphql(t.app, SEND_VERIFICATION_EMAIL, { token: session.accessToken! }))).toBe('OK');
    const refused = await graphql(t.app, SEND_VERIFICATION_EMAIL, { token: session.accessToken! });
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
  });

  it('is sent again only to someone logged in', async () => {
    expectUnauthenticated(await graphql(t.app, SEND_VERIFICATION_EMAIL), 'TOKEN_MISSING');
  });

  it('is sent once when two sign-ups race for one email, to the account that won', async () => {
    const account = newAccount();
    const answers = await Promise.all(Array.from({ length: 4 }, () => graphql(t.app, SIGNUP, { variables: { input: account, transport: 'BEARER' } })));
    expect(answers.map(codeOf).sort()).toEqual(['EMAIL_TAKEN', 'EMAIL_TAKEN', 'EMAIL_TAKEN', 'OK']);
    await mail.nextEmailTo(account.email);
    expect(await mail.emailsTo(account.email)).toHaveLength(1);
  });
});

describe("a second instance's `me`", () => {
  let a: TestApp;
  let b: TestApp;
  let mail: Mailbox;
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay();
    a = await createTestApp({ SMTP_URL: relay.url });
    b = await a.createPeer();
    mail = openMailbox(a, relay);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await relay.stop();
  });

  it('shows emailVerified turn true within a second of the link being followed on the first', async () => {
    const { account, session } = await signUpOverBearer(a.app);
    const seenOnB = async () => (await graphql<MeData>(b.app, ME_VERIFIED, { token: session.accessToken! })).data?.me.emailVerified;
    // B has read, and kept, the profile.
    expect(await seenOnB()).toBe(false);
    expect(codeOf(await verify(a, tokenFromLink(await mail.nextEmailTo(account.email), '/verify-email')))).toBe('OK');
    const verifiedAt = performance.now();
    let seen = await seenOnB();
    while (seen !== true && performance.now() - verifiedAt < 1000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = await seenOnB();
    }
    expect(seen).toBe(true);
  });
});

describe('REQUIRE_EMAIL_VERIFICATION=true', () => {
  let t: TestApp;
  let mail: Mailbox;
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay();
    t = await createTestApp({ SMTP_URL: relay.url, REQUIRE_EMAIL_VERIFICATION: 'true', TRUST_PROXY: 'true' });
    mail = openMailbox(t, relay);
  });
  afterAll(async () => {
    await t.close();
    await relay.stop();
  });

  const logIn = (account: Account, password = account.password, ip = '203.0.113.9') => {
    const browser = createCookieJar();
    return graphql<{ login: AuthPayloadData }>(t.app, LOGIN, { jar: browser, variables: { input: { email: account.email, password } }, headers: { 'x-forwarded-for': ip } }).then(
      (response) => ({ response, cookies: browser.names() }),
    );
  };

  it('creates the account at sign-up and sends the link, but starts no session until the address is proven', async () => {
    const account = newAccount();
    const browser = createCookieJar();
    const signup = await graphql(t.app, SIGNUP, { jar: browser, variables: { input: account } });
    expect(signup.status).toBe(200);
    expect(signup.data ?? null).toBeNull();
    expect(signup.errors?.[0]?.extensions).toMatchObject({ code: 'EMAIL_NOT_VERIFIED' });
    expect(browser.names()).toEqual([]);
    expect(await t.orm.em.fork().execute('select 1 from sessions s join users u on u.id = s.user_id where u.email = ?', [account.email])).toEqual([]);
    expect(codeOf(await graphql(t.app, SIGNUP, { variables: { input: account } }))).toBe('EMAIL_TAKEN');
    expect(tokenFromLink(await mail.nextEmailTo(account.email), '/verify-email')).toBeTruthy();
  });

  it('answers a wrong password INVALID_CREDENTIALS, the right one EMAIL_NOT_VERIFIED with a fresh link, and logs in once verified', async () => {
    const account = newAccount();
    await graphql(t.app, SIGNUP, { variables: { input: account } });
    const first = tokenFromLink(await mail.nextEmailTo(account.email), '/verify-email');

    const wrong = await logIn(account, 'not the password');
    expect(codeOf(wrong.response)).toBe('INVALID_CREDENTIALS');
    const right = await logIn(account);
    expect(codeOf(right.response)).toBe('EMAIL_NOT_VERIFIED');
    expect(right.response.data ?? null).toBeNull();
    expect(right.cookies).toEqual([]);

    // The owner cannot ask for a link without a session, so the refused login sent a fresh one.
    const fresh = tokenFromLink(await mail.nextEmailTo(account.email), '/verify-email');
    expect(codeOf(await verify(t, first))).toBe('BAD_USER_INPUT');
    expect(codeOf(await verify(t, fresh))).toBe('OK');

    const verified = await logIn(account);
    expect(codeOf(verified.response)).toBe('OK');
    expect(verified.cookies).toEqual(expect.arrayContaining(['access-token', 'refresh-token']));
  });

  it("counts a correct password refused for the address as no failure: the owner's retries never lock them out", async () => {
    const account = newAccount();
    await graphql(t.app, SIGNUP, { variables: { input: account } });
    for (let attempt = 1; attempt <= 8; attempt++) expect(codeOf((await logIn(account, account.password, '203.0.113.10')).response)).toBe('EMAIL_NOT_VERIFIED');
  });

  it('answers an unknown email INVALID_CREDENTIALS, like a wrong password', async () => {
    expect(codeOf((await logIn(newAccount())).response)).toBe('INVALID_CREDENTIALS');
  });
});
