import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { createCookieJar } from '@graphql-auth/test-kit/cookie-jar';
import { expectUnauthenticated, graphql } from '@graphql-auth/test-kit/graphql-request';
import { startTestRelay, type TestRelay } from '@graphql-auth/test-kit/smtp-relay';
import { openMailbox, tokenFromLink, type Mailbox } from '@graphql-auth/test-kit/mailbox';
import { ME, REQUEST_PASSWORD_RESET, RESET_PASSWORD } from '@graphql-auth/test-kit/operations';
import { claimsOf, codeOf, completeLogin, logIn, signUpWithTotp, totpCode } from './support/second-factor.ts';

describe('a password reset of an account with an authenticator app', () => {
  let t: TestApp;
  let relay: TestRelay;
  let mail: Mailbox;
  beforeAll(async () => {
    relay = await startTestRelay();
    t = await createTestApp({ SMTP_URL: relay.url });
    mail = openMailbox(t, relay);
  });
  afterAll(async () => {
    await t.close();
    await relay.stop();
  });

  async function resetLinkFor(email: string): Promise<string> {
    await graphql(t.app, REQUEST_PASSWORD_RESET, { variables: { email } });
    // The welcome email with its verification link comes first.
    for (;;) {
      const received = await mail.nextEmailTo(email);
      if (received.links.some((link) => new URL(link).pathname === '/reset-password')) return tokenFromLink(received, '/reset-password');
    }
  }

  it('sets the new password and ends every session, but answers SECOND_FACTOR_REQUIRED with no session until completeLogin', async () => {
    const { account, session, secret } = await signUpWithTotp(t);
    const token = await resetLinkFor(account.email);
    const jar = createCookieJar({ now: t.clock.now });
    const newPassword = 'a password chosen after a reset';
    const reset = await graphql(t.app, RESET_PASSWORD, { jar, variables: { token, newPassword } });
    expect(reset.status).toBe(200);
    expect(reset.data ?? null).toBeNull();
    expect(reset.errors?.[0]?.extensions).toMatchObject({ code: 'SECOND_FACTOR_REQUIRED', methods: ['TOTP', 'RECOVERY_CODE'] });
    expect(jar.names()).toEqual([]);
    // The reset happened: the old session is over and the new password is the one that logs in.
    expectUnauthenticated(await graphql(t.app, ME, { token: session.accessToken! }), 'SESSION_REVOKED');
    expect(codeOf(await logIn(t, account))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await logIn(t, { ...account, password: newPassword }))).toBe('SECOND_FACTOR_REQUIRED');
    // The link is spent.
    expect(codeOf(await graphql(t.app, RESET_PASSWORD, { variables: { token, newPassword } }))).toBe('BAD_USER_INPUT');

    const challenge = reset.errors![0]!.extensions!.challenge as string;
    const completed = await completeLogin(t, challenge, totpCode(secret, t.clock.now()));
    expect(completed.errors).toBeUndefined();
    expect(claimsOf(completed.data!.completeLogin.accessToken!).amr).toEqual(['pwd', 'otp']);
    expect((await graphql(t.app, ME, { token: completed.data!.completeLogin.accessToken! })).status).toBe(200);
  });
});
