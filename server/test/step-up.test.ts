import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { graphql, type GraphQLResponse } from '@graphql-auth/test-kit/graphql-request';
import { CHANGE_EMAIL, DELETE_ACCOUNT, newAccount } from '@graphql-auth/test-kit/operations';
import {
  challengeFor,
  codeOf,
  completeLogin,
  DISABLE_TOTP,
  logIn,
  REGENERATE_RECOVERY_CODES,
  SECOND_FACTORS,
  signUp,
  signUpWithTotp,
  toNextStep,
  totpCode,
  VERIFY_SECOND_FACTOR,
} from './support/second-factor.ts';

const MINUTE = 60_000;
const CHANGE_PASSWORD = 'mutation ChangePassword($currentPassword: String!, $newPassword: String!) { changePassword(currentPassword: $currentPassword, newPassword: $newPassword) }';

function expectStepUpRequired(response: GraphQLResponse<unknown>) {
  expect(response.status).toBe(200);
  expect(response.data ?? null).toBeNull();
  expect(response.errors?.[0]?.extensions).toEqual({ code: 'STEP_UP_REQUIRED', methods: ['TOTP', 'RECOVERY_CODE'] });
}

describe('changes that need a recent second factor', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Access tokens outlive the step-up window here, so a test can wait it out on one token.
    t = await createTestApp({ ACCESS_TOKEN_TTL: '1h' });
  });
  afterAll(() => t.close());

  const secondFactors = async (token: string) =>
    (await graphql<{ me: { secondFactors: { totpEnabled: boolean; recoveryCodesLeft: number } } }>(t.app, SECOND_FACTORS, { token })).data!.me.secondFactors;

  it('refuses disableTotp without a recent second factor, allows it after verifySecondFactor, and then a password logs in alone', async () => {
    const { account, session, secret } = await signUpWithTotp(t);
    const token = session.accessToken!;
    t.clock.advance(11 * MINUTE);
    expectStepUpRequired(await graphql(t.app, DISABLE_TOTP, { token }));
    expect(await secondFactors(token)).toEqual({ totpEnabled: true, recoveryCodesLeft: 10 });

    const verified = await graphql(t.app, VERIFY_SECOND_FACTOR, { token, variables: { code: totpCode(secret, t.clock.now()) } });
    expect(verified.data).toEqual({ verifySecondFactor: true });
    expect((await graphql(t.app, DISABLE_TOTP, { token })).data).toEqual({ disableTotp: true });
    expect(await secondFactors(token)).toEqual({ totpEnabled: false, recoveryCodesLeft: 0 });
    expect(codeOf(await logIn(t, account))).toBe('OK');
  });

  it('closes the window ten minutes after the second factor was proven', async () => {
    const { session, recoveryCodes } = await signUpWithTotp(t);
    const token = session.accessToken!;
    t.clock.advance(11 * MINUTE);
    expect((await graphql(t.app, VERIFY_SECOND_FACTOR, { token, variables: { code: recoveryCodes[0]! } })).data).toEqual({ verifySecondFactor: true });
    t.clock.advance(10 * MINUTE - 1000);
    expect(codeOf(await graphql(t.app, REGENERATE_RECOVERY_CODES, { token }))).toBe('OK');
    t.clock.advance(2000);
    expectStepUpRequired(await graphql(t.app, REGENERATE_RECOVERY_CODES, { token }));
  });

  it('counts a login completed with a second factor as proven on that session, and only on that session', async () => {
    const { account, secret, session } = await signUpWithTotp(t);
    t.clock.advance(11 * MINUTE);
    const fresh = (await completeLogin(t, await challengeFor(t, account), totpCode(secret, t.clock.now()))).data!.completeLogin;
    expect(codeOf(await graphql(t.app, REGENERATE_RECOVERY_CODES, { token: fresh.accessToken! }))).toBe('OK');
    expectStepUpRequired(await graphql(t.app, REGENERATE_RECOVERY_CODES, { token: session.accessToken! }));
  });

  it('needs it for changePassword of an account with a second factor, before the password is even checked', async () => {
    const { account, session, secret } = await signUpWithTotp(t);
    const token = session.accessToken!;
    t.clock.advance(11 * MINUTE);
    const variables = { currentPassword: account.password, newPassword: 'a brand new password' };
    expectStepUpRequired(await graphql(t.app, CHANGE_PASSWORD, { token, variables }));
    expectStepUpRequired(await graphql(t.app, CHANGE_PASSWORD, { token, variables: { ...variables, currentPassword: 'a wrong password' } }));
    await graphql(t.app, VERIFY_SECOND_FACTOR, { token, variables: { code: totpCode(secret, t.clock.now()) } });
    expect((await graphql(t.app, CHANGE_PASSWORD, { token, variables })).data).toEqual({ changePassword: true });
  });

  it('needs it for changeEmail and deleteAccount of an account with a second factor', async () => {
    const { account, session } = await signUpWithTotp(t);
    const token = session.accessToken!;
    t.clock.advance(11 * MINUTE);
    expectStepUpRequired(await graphql(t.app, CHANGE_EMAIL, { token, variables: { newEmail: newAccount().email, currentPassword: account.password } }));
    expectStepUpRequired(await graphql(t.app, DELETE_ACCOUNT, { token, variables: { currentPassword: account.password } }));
    expect(await secondFactors(token)).toEqual({ totpEnabled: true, recoveryCodesLeft: 10 });
  });

  it('asks nothing more of an account without a second factor', async () => {
    const { account, session } = await signUp(t);
    t.clock.advance(11 * MINUTE);
    const changed = await graphql(t.app, CHANGE_PASSWORD, { token: session.accessToken!, variables: { currentPassword: account.password, newPassword: 'a brand new password' } });
    expect(changed.data).toEqual({ changePassword: true });
  });

  it('replaces every recovery code when they are regenerated: an old one no longer works', async () => {
    const { account, session, recoveryCodes } = await signUpWithTotp(t);
    const regenerated = await graphql<{ regenerateRecoveryCodes: string[] }>(t.app, REGENERATE_RECOVERY_CODES, { token: session.accessToken! });
    const fresh = regenerated.data!.regenerateRecoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => recoveryCodes.includes(code))).toEqual([]);
    expect(codeOf(await completeLogin(t, await challengeFor(t, account), recoveryCodes[0]!))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await completeLogin(t, await challengeFor(t, account), fresh[0]!))).toBe('OK');
  });

  it('verifySecondFactor: spends a recovery code, refuses a wrong code, and has nothing to verify without a second factor', async () => {
    const { session, recoveryCodes, secret } = await signUpWithTotp(t);
    const token = session.accessToken!;
    expect(codeOf(await graphql(t.app, VERIFY_SECOND_FACTOR, { token, variables: { code: recoveryCodes[9]! } }))).toBe('OK');
    expect(await secondFactors(token)).toEqual({ totpEnabled: true, recoveryCodesLeft: 9 });
    expect(codeOf(await graphql(t.app, VERIFY_SECOND_FACTOR, { token, variables: { code: recoveryCodes[9]! } }))).toBe('INVALID_CREDENTIALS');
    const wrong = totpCode(secret, t.clock.now()) === '999999' ? '888888' : '999999';
    const refused = await graphql(t.app, VERIFY_SECOND_FACTOR, { token, variables: { code: wrong } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS', field: 'code' });
    for (const code of ['\u0000', 'x'.repeat(10_000), 'twelve']) {
      expect((await graphql(t.app, VERIFY_SECOND_FACTOR, { token, variables: { code } })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    }
    const plain = await signUp(t);
    expect(codeOf(await graphql(t.app, VERIFY_SECOND_FACTOR, { token: plain.session.accessToken!, variables: { code: '123456' } }))).toBe('FORBIDDEN');
  });

  it('lets one of two simultaneous step-ups with one recovery code through', async () => {
    const { session, recoveryCodes } = await signUpWithTotp(t);
    const token = session.accessToken!;
    const answers = await Promise.all([0, 1].map(() => graphql(t.app, VERIFY_SECOND_FACTOR, { token, variables: { code: recoveryCodes[4]! } })));
    expect(answers.map(codeOf).sort()).toEqual(['INVALID_CREDENTIALS', 'OK']);
    expect(await secondFactors(token)).toEqual({ totpEnabled: true, recoveryCodesLeft: 9 });
  });

  it('accepts one app code once across verifySecondFactor and completeLogin', async () => {
    const { account, session, secret } = await signUpWithTotp(t);
    toNextStep(t);
    const code = totpCode(secret, t.clock.now());
    expect(codeOf(await graphql(t.app, VERIFY_SECOND_FACTOR, { token: session.accessToken!, variables: { code } }))).toBe('OK');
    expect(codeOf(await completeLogin(t, await challengeFor(t, account), code))).toBe('INVALID_CREDENTIALS');
  });
});
