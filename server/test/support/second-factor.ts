import { expect } from 'vitest';
import { totpCode } from '@graphql-auth/test-kit/totp';
import type { TestApp } from '@graphql-auth/test-kit/test-app';
import { codeOf, graphql } from '@graphql-auth/test-kit/graphql-request';
import { LOGIN, signUpOverBearer, type Account, type AuthPayloadData } from '@graphql-auth/test-kit/operations';

export { codeOf, totpCode };
export type { Account };

export const BEGIN_TOTP = 'mutation BeginTotp { beginTotpEnrollment { secret uri } }';
export const CONFIRM_TOTP = 'mutation ConfirmTotp($code: String!) { confirmTotpEnrollment(code: $code) }';
export const DISABLE_TOTP = 'mutation DisableTotp { disableTotp }';
export const REGENERATE_RECOVERY_CODES = 'mutation RegenerateRecoveryCodes { regenerateRecoveryCodes }';
export const VERIFY_SECOND_FACTOR = 'mutation VerifySecondFactor($code: String!) { verifySecondFactor(code: $code) }';
export const SECOND_FACTORS = 'query SecondFactors { me { id secondFactors { totpEnabled recoveryCodesLeft } } }';
export const COMPLETE_LOGIN = /* GraphQL */ `
  mutation CompleteLogin($challenge: String!, $code: String!, $transport: TokenTransport) {
    completeLogin(challenge: $challenge, code: $code, transport: $transport) {
      user { id email }
      accessToken
      refreshToken
      accessTokenExpiresAt
      refreshTokenExpiresAt
    }
  }
`;


/** Moves the test clock to the start of the next 30-second step, so a test's codes do not straddle a step by chance. */
export function toNextStep(t: TestApp): void {
  t.clock.advance(30_000 - (t.clock.now().getTime() % 30_000));
}

/** An account signed up over bearer, with its first session. */
export const signUp = (t: TestApp, account?: Account) => signUpOverBearer(t.app, account);

/** Signs up and turns the authenticator app on, as its owner would: the secret, a code, the ten recovery codes. */
export async function signUpWithTotp(t: TestApp) {
  const { account, session } = await signUp(t);
  const begun = await graphql<{ beginTotpEnrollment: { secret: string; uri: string } }>(t.app, BEGIN_TOTP, { token: session.accessToken! });
  expect(begun.errors).toBeUndefined();
  const { secret } = begun.data!.beginTotpEnrollment;
  toNextStep(t);
  const confirmed = await graphql<{ confirmTotpEnrollment: string[] }>(t.app, CONFIRM_TOTP, { token: session.accessToken!, variables: { code: totpCode(secret, t.clock.now()) } });
  expect(confirmed.errors).toBeUndefined();
  // The next code the test computes belongs to a later step than the one just used.
  toNextStep(t);
  return { account, session, secret, recoveryCodes: confirmed.data!.confirmTotpEnrollment };
}

export function logIn(t: TestApp, account: Account, { ip, transport = 'BEARER', password = account.password }: { ip?: string; transport?: string; password?: string } = {}) {
  return graphql<{ login: AuthPayloadData }>(t.app, LOGIN, {
    variables: { input: { email: account.email, password }, transport },
    headers: ip ? { 'x-forwarded-for': ip } : {},
  });
}

/** Logs in with the password and returns the challenge of the SECOND_FACTOR_REQUIRED answer. */
export async function challengeFor(t: TestApp, account: Account, ip?: string): Promise<string> {
  const response = await logIn(t, account, { ip });
  expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'SECOND_FACTOR_REQUIRED', methods: ['TOTP', 'RECOVERY_CODE'] });
  return response.errors![0]!.extensions!.challenge as string;
}

export function completeLogin(t: TestApp, challenge: string, code: string, { ip, transport = 'BEARER' }: { ip?: string; transport?: string } = {}) {
  return graphql<{ completeLogin: AuthPayloadData }>(t.app, COMPLETE_LOGIN, {
    variables: { challenge, code, transport },
    headers: ip ? { 'x-forwarded-for': ip } : {},
  });
}

/** The claims of a JWT, read without checking it (the server checks; the test only looks). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
