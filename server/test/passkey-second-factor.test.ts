import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { graphql, type GraphQLResponse } from '@graphql-auth/test-kit/graphql-request';
import { ME, type AuthPayloadData } from '@graphql-auth/test-kit/operations';
import { createSoftwareAuthenticator, type SoftwareAuthenticator } from '@graphql-auth/test-kit/software-authenticator';
import { addPasskey, PASSKEYS, REMOVE_PASSKEY, registrationOptions, type PasskeyData } from '@graphql-auth/test-kit/passkeys';
import { BEGIN_TOTP, claimsOf, codeOf, logIn, signUp, signUpWithTotp } from './support/second-factor.ts';

const MINUTE = 60_000;
const SECOND_FACTOR_OPTIONS = 'mutation PasskeySecondFactorOptions($challenge: String) { passkeySecondFactorOptions(challenge: $challenge) }';
const COMPLETE_WITH_PASSKEY = /* GraphQL */ `
  mutation CompleteLoginWithPasskey($challenge: String!, $code: String, $passkeyResponse: String) {
    completeLogin(challenge: $challenge, code: $code, passkeyResponse: $passkeyResponse, transport: BEARER) {
      user { id email }
      accessToken
      refreshToken
      accessTokenExpiresAt
      refreshTokenExpiresAt
    }
  }
`;
const VERIFY_WITH_PASSKEY = 'mutation VerifyWithPasskey($passkeyResponse: String) { verifySecondFactor(passkeyResponse: $passkeyResponse) }';

describe('a passkey as the second factor', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ACCESS_TOKEN_TTL: '1h' });
  });
  afterAll(() => t.close());

  const authenticator = () => createSoftwareAuthenticator({ origin: t.config.publicOrigin });

  async function signUpWithPasskey(): Promise<{ account: Awaited<ReturnType<typeof signUp>>['account']; token: string; device: SoftwareAuthenticator; passkey: PasskeyData }> {
    const { account, session } = await signUp(t);
    const device = authenticator();
    // The first factor beyond the password needs no step-up: there is none yet to prove.
    const passkey = await addPasskey(t.app, { token: session.accessToken! }, device);
    return { account, token: session.accessToken!, device, passkey };
  }

  async function optionsFor(caller: { token?: string }, challenge?: string): Promise<string> {
    const response = await graphql<{ passkeySecondFactorOptions: string }>(t.app, SECOND_FACTOR_OPTIONS, { ...caller, variables: { challenge: challenge ?? null } });
    expect(response.errors).toBeUndefined();
    return response.data!.passkeySecondFactorOptions;
  }

  function expectStepUp(response: GraphQLResponse<unknown>, methods: string[]) {
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'STEP_UP_REQUIRED', methods });
  }

  it('makes a password alone answer SECOND_FACTOR_REQUIRED, and finishes that login (amr pwd and hwk)', async () => {
    const { account, device } = await signUpWithPasskey();
    const login = await logIn(t, account);
    expect(login.errors?.[0]?.extensions).toMatchObject({ code: 'SECOND_FACTOR_REQUIRED', methods: ['PASSKEY'] });
    expect(login.data ?? null).toBeNull();
    const challenge = login.errors![0]!.extensions!.challenge as string;

    const options = JSON.parse(await optionsFor({}, challenge)) as { allowCredentials: { id: string }[]; userVerification: string };
    expect(options.allowCredentials).toHaveLength(1);
    expect(options.userVerification).toBe('required');
    const completed = await graphql<{ completeLogin: AuthPayloadData }>(t.app, COMPLETE_WITH_PASSKEY, {
      variables: { challenge, passkeyResponse: JSON.stringify(device.getAssertion(JSON.stringify(options))) },
    });
    expect(completed.errors).toBeUndefined();
    const session = completed.data!.completeLogin;
    expect(claimsOf(session.accessToken!).amr).toEqual(['pwd', 'hwk']);
    expect(codeOf(await graphql(t.app, ME, { token: session.accessToken! }))).toBe('OK');
  });

  it("refuses another account's passkey for the challenge, and a challenge that was spent", async () => {
    const { account } = await signUpWithPasskey();
    const stranger = await signUpWithPasskey();
    const challenge = (await logIn(t, account)).errors![0]!.extensions!.challenge as string;
    const strangersOptions = await optionsFor({}, (await logIn(t, stranger.account)).errors![0]!.extensions!.challenge as string);
    const refused = await graphql(t.app, COMPLETE_WITH_PASSKEY, { variables: { challenge, passkeyResponse: JSON.stringify(stranger.device.getAssertion(strangersOptions)) } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS', field: 'response' });
    expect(refused.data ?? null).toBeNull();
  });

  it('takes exactly one of a code and a passkey response', async () => {
    const { account } = await signUpWithPasskey();
    const challenge = (await logIn(t, account)).errors![0]!.extensions!.challenge as string;
    const neither = await graphql(t.app, COMPLETE_WITH_PASSKEY, { variables: { challenge } });
    expect(neither.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    const both = await graphql(t.app, COMPLETE_WITH_PASSKEY, { variables: { challenge, code: '123456', passkeyResponse: '{}' } });
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'passkeyResponse' });
  });

  it('needs a recent second factor to remove a passkey; a passkey proves it, and then a password logs in alone again', async () => {
    const { account, token, device, passkey } = await signUpWithPasskey();
    t.clock.advance(11 * MINUTE);
    expectStepUp(await graphql(t.app, REMOVE_PASSKEY, { token, variables: { id: passkey.id } }), ['PASSKEY']);
    expect((await graphql<{ passkeys: PasskeyData[] }>(t.app, PASSKEYS, { token })).data!.passkeys).toHaveLength(1);

    const proof = device.getAssertion(await optionsFor({ token }));
    expect((await graphql(t.app, VERIFY_WITH_PASSKEY, { token, variables: { passkeyResponse: JSON.stringify(proof) } })).data).toEqual({ verifySecondFactor: true });
    expect((await graphql(t.app, REMOVE_PASSKEY, { token, variables: { id: passkey.id } })).data).toEqual({ removePasskey: true });
    expect(codeOf(await logIn(t, account))).toBe('OK');
  });

  it('does not let a session without a recent second factor add a passkey of its own (a stolen session stays a session)', async () => {
    const { token } = await signUpWithPasskey();
    t.clock.advance(11 * MINUTE);
    expectStepUp(await graphql(t.app, 'mutation { passkeyRegistrationOptions }', { token }), ['PASSKEY']);
  });

  it('offers every factor of an account with an authenticator app and a passkey, and asks the app account for step-up before a passkey', async () => {
    const { account, session } = await signUpWithTotp(t);
    const token = session.accessToken!;
    t.clock.advance(11 * MINUTE);
    expectStepUp(await graphql(t.app, 'mutation { passkeyRegistrationOptions }', { token }), ['TOTP', 'RECOVERY_CODE']);
    const fresh = await signUp(t);
    await registrationOptions(t.app, { token: fresh.session.accessToken! });
    expect((await graphql(t.app, BEGIN_TOTP, { token: fresh.session.accessToken! })).errors).toBeUndefined();
    expect((await logIn(t, account)).errors?.[0]?.extensions).toMatchObject({ code: 'SECOND_FACTOR_REQUIRED', methods: ['TOTP', 'RECOVERY_CODE'] });
  });

  it('answers a dead challenge without saying whose it was', async () => {
    const dead = await graphql(t.app, SECOND_FACTOR_OPTIONS, { variables: { challenge: 'not-a-challenge' } });
    expect(dead.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS', field: 'challenge' });
  });
});
