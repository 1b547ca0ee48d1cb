import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { graphql } from '@graphql-auth/test-kit/graphql-request';
import {
  BEGIN_TOTP,
  codeOf,
  CONFIRM_TOTP,
  logIn,
  SECOND_FACTORS,
  signUp,
  signUpWithTotp,
  toNextStep,
  totpCode,
} from './support/second-factor.ts';

type SecondFactorsData = { me: { secondFactors: { totpEnabled: boolean; recoveryCodesLeft: number } } };

describe('turning on the authenticator app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ APP_NAME: 'Acme: Accounts' });
  });
  afterAll(() => t.close());

  const secondFactors = async (token: string) => (await graphql<SecondFactorsData>(t.app, SECOND_FACTORS, { token })).data!.me.secondFactors;

  it('hands out a base32 secret and its otpauth URI (issuer APP_NAME, the account email), and turns nothing on yet', async () => {
    const { account, session } = await signUp(t);
    const begun = await graphql<{ beginTotpEnrollment: { secret: string; uri: string } }>(t.app, BEGIN_TOTP, { token: session.accessToken! });
    expect(begun.errors).toBeUndefined();
    const { secret, uri } = begun.data!.beginTotpEnrollment;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri.split('?')[0]).toBe(`otpauth://totp/${encodeURIComponent('Acme: Accounts')}:${encodeURIComponent(account.email)}`);
    const parsed = new URL(uri);
    expect(Object.fromEntries(parsed.searchParams)).toEqual({ issuer: 'Acme: Accounts', algorithm: 'SHA1', secret, period: '30', digits: '6' });
    expect(await secondFactors(session.accessToken!)).toEqual({ totpEnabled: false, recoveryCodesLeft: 0 });
    // A pending secret is no second factor: the password alone still logs in.
    expect(codeOf(await logIn(t, account))).toBe('OK');
  });

  it('refuses a wrong code, then turns on with the right one and returns ten distinct recovery codes', async () => {
    const { session } = await signUp(t);
    const token = session.accessToken!;
    const { secret } = (await graphql<{ beginTotpEnrollment: { secret: string } }>(t.app, BEGIN_TOTP, { token })).data!.beginTotpEnrollment;
    toNextStep(t);
    const right = totpCode(secret, t.clock.now());
    const wrong = await graphql(t.app, CONFIRM_TOTP, { token, variables: { code: right === '000000' ? '111111' : '000000' } });
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS', field: 'code' });
    expect(await secondFactors(token)).toEqual({ totpEnabled: false, recoveryCodesLeft: 0 });

    const confirmed = await graphql<{ confirmTotpEnrollment: string[] }>(t.app, CONFIRM_TOTP, { token, variables: { code: right } });
    expect(confirmed.errors).toBeUndefined();
    const codes = confirmed.data!.confirmTotpEnrollment;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    expect(await secondFactors(token)).toEqual({ totpEnabled: true, recoveryCodesLeft: 10 });
  });

  it('replaces a pending secret when enrolment starts again: only the newest one confirms', async () => {
    const { session } = await signUp(t);
    const token = session.accessToken!;
    const first = (await graphql<{ beginTotpEnrollment: { secret: string } }>(t.app, BEGIN_TOTP, { token })).data!.beginTotpEnrollment.secret;
    const second = (await graphql<{ beginTotpEnrollment: { secret: string } }>(t.app, BEGIN_TOTP, { token })).data!.beginTotpEnrollment.secret;
    expect(second).not.toBe(first);
    toNextStep(t);
    expect(codeOf(await graphql(t.app, CONFIRM_TOTP, { token, variables: { code: totpCode(first, t.clock.now()) } }))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await graphql(t.app, CONFIRM_TOTP, { token, variables: { code: totpCode(second, t.clock.now()) } }))).toBe('OK');
  });

  it('will not start over while the app is on: the secret in use stays', async () => {
    const { session } = await signUpWithTotp(t);
    const again = await graphql(t.app, BEGIN_TOTP, { token: session.accessToken! });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await secondFactors(session.accessToken!)).toEqual({ totpEnabled: true, recoveryCodesLeft: 10 });
  });

  it('refuses a confirmation with nothing pending as a wrong code', async () => {
    const { session } = await signUp(t);
    expect(codeOf(await graphql(t.app, CONFIRM_TOTP, { token: session.accessToken!, variables: { code: '123456' } }))).toBe('INVALID_CREDENTIALS');
  });

  it('needs a login for every step', async () => {
    for (const [query, variables] of [[BEGIN_TOTP, {}], [CONFIRM_TOTP, { code: '123456' }]] as const) {
      const response = await graphql(t.app, query, { variables });
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' });
    }
  });

  it('answers NUL bytes, 10 kB codes, letters and recovery-code shapes with BAD_USER_INPUT, and the enrolment still confirms', async () => {
    const { session } = await signUp(t);
    const token = session.accessToken!;
    const { secret } = (await graphql<{ beginTotpEnrollment: { secret: string } }>(t.app, BEGIN_TOTP, { token })).data!.beginTotpEnrollment;
    for (const code of ['\u0000\u0000\u0000\u0000\u0000\u0000', '9'.repeat(10_000), 'abcdef', 'abcd-efgh-jkmn-pqrs']) {
      const response = await graphql(t.app, CONFIRM_TOTP, { token, variables: { code } });
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    }
    toNextStep(t);
    expect(codeOf(await graphql(t.app, CONFIRM_TOTP, { token, variables: { code: totpCode(secret, t.clock.now()) } }))).toBe('OK');
  });

  it('counts wrong confirmation codes like wrong passwords: the sixth in a row is RATE_LIMITED', async () => {
    const { session } = await signUp(t);
    const token = session.accessToken!;
    const { secret } = (await graphql<{ beginTotpEnrollment: { secret: string } }>(t.app, BEGIN_TOTP, { token })).data!.beginTotpEnrollment;
    const wrong = totpCode(secret, t.clock.now()) === '424242' ? '242424' : '424242';
    for (let attempt = 1; attempt <= 5; attempt++) expect(codeOf(await graphql(t.app, CONFIRM_TOTP, { token, variables: { code: wrong } }))).toBe('INVALID_CREDENTIALS');
    const limited = await graphql(t.app, CONFIRM_TOTP, { token, variables: { code: totpCode(secret, t.clock.now()) } });
    expect(limited.status).toBe(429);
    expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
  });
});
