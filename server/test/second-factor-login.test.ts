import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { createCookieJar } from '@graphql-auth/test-kit/cookie-jar';
import { graphql, type GraphQLResponse } from '@graphql-auth/test-kit/graphql-request';
import { LOGIN, ME, REFRESH, type AuthPayloadData } from '@graphql-auth/test-kit/operations';
import {
  challengeFor,
  claimsOf,
  codeOf,
  COMPLETE_LOGIN,
  completeLogin,
  logIn,
  signUp,
  signUpWithTotp,
  toNextStep,
  totpCode,
} from './support/second-factor.ts';

const MINUTE = 60_000;

function expectWrongCode(response: GraphQLResponse<unknown>) {
  expect(response.status).toBe(200);
  expect(response.data ?? null).toBeNull();
  expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS', field: 'code' });
}

function expectDeadChallenge(response: GraphQLResponse<unknown>) {
  expect(response.status).toBe(200);
  expect(response.data ?? null).toBeNull();
  expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS', field: 'challenge' });
}

async function sessionCount(t: TestApp, userId: string): Promise<number> {
  const [row] = await t.orm.em.fork().execute<{ count: string }[]>('select count(*) as count from sessions where user_id = ? and revoked_at is null', [userId]);
  return Number(row!.count);
}

describe('logging in to an account with an authenticator app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true' });
  });
  afterAll(() => t.close());

  it('answers a right password with SECOND_FACTOR_REQUIRED, a challenge and the methods, and no token, cookie or session', async () => {
    const { account, session } = await signUpWithTotp(t);
    const jar = createCookieJar({ now: t.clock.now });
    const response = await graphql(t.app, LOGIN, { jar, variables: { input: { email: account.email, password: account.password } } });
    expect(response.status).toBe(200);
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toHaveLength(1);
    const extensions = response.errors![0]!.extensions!;
    expect(extensions).toMatchObject({ code: 'SECOND_FACTOR_REQUIRED', methods: ['TOTP', 'RECOVERY_CODE'] });
    expect(extensions.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(jar.names()).toEqual([]);
    expect(response.text).not.toMatch(/eyJ/);
    expect(await sessionCount(t, session.user.id)).toBe(1);
  });

  it('answers a wrong password exactly as before: INVALID_CREDENTIALS, no challenge', async () => {
    const { account } = await signUpWithTotp(t);
    const response = await logIn(t, account, { password: 'not the password' });
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'INVALID_CREDENTIALS' });
  });

  it('changes nothing for an account without a second factor: tokens at once, amr pwd', async () => {
    const { account } = await signUp(t);
    const response = await logIn(t, account);
    expect(response.errors).toBeUndefined();
    expect(claimsOf(response.data!.login.accessToken!).amr).toEqual(['pwd']);
  });

  it('completes with an app code over bearer: tokens in the payload, amr pwd+otp, auth_time the moment it completed', async () => {
    const { account } = await signUpWithTotp(t);
    const challenge = await challengeFor(t, account);
    t.clock.advance(20_000);
    const completedAt = Math.floor(t.clock.now().getTime() / 1000);
    const response = await completeLogin(t, challenge, totpCode((await secretOf(t, account.email))!, t.clock.now()));
    expect(response.errors).toBeUndefined();
    const payload = response.data!.completeLogin;
    expect(payload.user.email).toBe(account.email);
    expect(claimsOf(payload.accessToken!)).toMatchObject({ amr: ['pwd', 'otp'], auth_time: completedAt });
    expect((await graphql(t.app, ME, { token: payload.accessToken! })).status).toBe(200);
  });

  it('completes with an app code over cookies: HttpOnly cookies set, no token in the payload, and the cookies work', async () => {
    const { account, secret } = await signUpWithTotp(t);
    const challenge = await challengeFor(t, account);
    const jar = createCookieJar({ now: t.clock.now });
    const response = await graphql<{ completeLogin: AuthPayloadData }>(t.app, COMPLETE_LOGIN, { jar, variables: { challenge, code: totpCode(secret, t.clock.now()) } });
    expect(response.errors).toBeUndefined();
    expect(response.data!.completeLogin).toMatchObject({ accessToken: null, refreshToken: null });
    expect(jar.names().sort()).toEqual(['access-token', 'device', 'refresh-token']);
    expect(claimsOf(jar.get('access-token')!).amr).toEqual(['pwd', 'otp']);
    expect((await graphql(t.app, ME, { jar })).status).toBe(200);
  });

  it('keeps amr and auth_time across refreshes', async () => {
    const { account, secret } = await signUpWithTotp(t);
    const loggedIn = (await completeLogin(t, await challengeFor(t, account), totpCode(secret, t.clock.now()))).data!.completeLogin;
    const before = claimsOf(loggedIn.accessToken!);
    t.clock.advance(5 * MINUTE);
    const refreshed = await graphql<{ refresh: AuthPayloadData }>(t.app, REFRESH, { variables: { refreshToken: loggedIn.refreshToken } });
    expect(refreshed.errors).toBeUndefined();
    const after = claimsOf(refreshed.data!.refresh.accessToken!);
    expect(after.jti).not.toBe(before.jti);
    expect({ amr: after.amr, auth_time: after.auth_time }).toEqual({ amr: ['pwd', 'otp'], auth_time: before.auth_time });
  });

  it('completes with a recovery code once (amr pwd+rec); the same code a second time is refused', async () => {
    const { account, recoveryCodes } = await signUpWithTotp(t);
    expect(recoveryCodes).toHaveLength(10);
    const first = await completeLogin(t, await challengeFor(t, account), recoveryCodes[3]!);
    expect(first.errors).toBeUndefined();
    expect(claimsOf(first.data!.completeLogin.accessToken!).amr).toEqual(['pwd', 'rec']);
    expectWrongCode(await completeLogin(t, await challengeFor(t, account), recoveryCodes[3]!));
  });

  it('accepts a recovery code typed in capitals, without its hyphens or with spaces', async () => {
    const { account, recoveryCodes } = await signUpWithTotp(t);
    for (const typed of [recoveryCodes[0]!.toUpperCase(), recoveryCodes[1]!.replaceAll('-', ''), recoveryCodes[2]!.replaceAll('-', ' ')]) {
      expect(codeOf(await completeLogin(t, await challengeFor(t, account), typed))).toBe('OK');
    }
  });

  it('refuses an app code used once already, even within its own 30 seconds, and any older one', async () => {
    const { account, secret } = await signUpWithTotp(t);
    const code = totpCode(secret, t.clock.now());
    expect(codeOf(await completeLogin(t, await challengeFor(t, account), code))).toBe('OK');
    t.clock.advance(5_000);
    expectWrongCode(await completeLogin(t, await challengeFor(t, account), code));
    expectWrongCode(await completeLogin(t, await challengeFor(t, account), totpCode(secret, t.clock.now(), -1)));
  });

  it('accepts a code one step early or late, and refuses one two steps away', async () => {
    const { account, secret } = await signUpWithTotp(t);
    // Two steps on from the enrolment's code, so neither step before now was used: only drift decides.
    toNextStep(t);
    toNextStep(t);
    expectWrongCode(await completeLogin(t, await challengeFor(t, account), totpCode(secret, t.clock.now(), 2)));
    expectWrongCode(await completeLogin(t, await challengeFor(t, account), totpCode(secret, t.clock.now(), -2)));
    expect(codeOf(await completeLogin(t, await challengeFor(t, account), totpCode(secret, t.clock.now(), -1)))).toBe('OK');
    expect(codeOf(await completeLogin(t, await challengeFor(t, account), totpCode(secret, t.clock.now(), 1)))).toBe('OK');
  });

  it('lets a challenge live five minutes and no longer', async () => {
    const { account, secret } = await signUpWithTotp(t);
    const early = await challengeFor(t, account);
    const late = await challengeFor(t, account);
    t.clock.advance(5 * MINUTE - 1000);
    expect(codeOf(await completeLogin(t, early, totpCode(secret, t.clock.now())))).toBe('OK');
    t.clock.advance(2000);
    expectDeadChallenge(await completeLogin(t, late, totpCode(secret, t.clock.now(), 1)));
  });

  it('kills a challenge after five wrong codes: the right one then fails too', async () => {
    const { account, secret } = await signUpWithTotp(t);
    const challenge = await challengeFor(t, account, '198.51.100.20');
    const wrong = totpCode(secret, t.clock.now()) === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 5; attempt++) expectWrongCode(await completeLogin(t, challenge, wrong, { ip: '198.51.100.21' }));
    expectDeadChallenge(await completeLogin(t, challenge, totpCode(secret, t.clock.now()), { ip: '198.51.100.22' }));
  });

  it('is single use: a completed challenge cannot complete another login', async () => {
    const { account, secret, recoveryCodes } = await signUpWithTotp(t);
    const challenge = await challengeFor(t, account);
    expect(codeOf(await completeLogin(t, challenge, totpCode(secret, t.clock.now())))).toBe('OK');
    expectDeadChallenge(await completeLogin(t, challenge, recoveryCodes[0]!));
  });

  it('answers an unknown, forged or malformed challenge with the same INVALID_CREDENTIALS on challenge', async () => {
    const { secret } = await signUpWithTotp(t);
    const code = totpCode(secret, t.clock.now());
    const answers = await Promise.all(['A'.repeat(43), 'not a challenge', '', 'x'.repeat(10_000)].map((challenge) => completeLogin(t, challenge, code)));
    for (const answer of answers) expectDeadChallenge(answer);
    expect(new Set(answers.map((answer) => answer.errors![0]!.message)).size).toBe(1);
  });

  it('counts wrong codes like wrong passwords: after five, even the right password from that address is RATE_LIMITED', async () => {
    const { account, secret } = await signUpWithTotp(t);
    const ip = '203.0.113.50';
    const challenge = await challengeFor(t, account, ip);
    const wrong = totpCode(secret, t.clock.now()) === '123456' ? '654321' : '123456';
    for (let attempt = 1; attempt <= 5; attempt++) expectWrongCode(await completeLogin(t, challenge, wrong, { ip }));
    const limited = await logIn(t, account, { ip });
    expect(limited.status).toBe(429);
    expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    // Another address is not locked out.
    await challengeFor(t, account, '203.0.113.51');
  });

  it('keeps counting earlier failures past a right password, so codes cannot be guessed forever between logins', async () => {
    const { account, secret } = await signUpWithTotp(t);
    const ip = '203.0.113.60';
    const wrong = totpCode(secret, t.clock.now()) === '222222' ? '333333' : '222222';
    for (let attempt = 1; attempt <= 3; attempt++) expectWrongCode(await completeLogin(t, await challengeFor(t, account, ip), wrong, { ip }));
    const challenge = await challengeFor(t, account, ip);
    for (let attempt = 1; attempt <= 2; attempt++) expectWrongCode(await completeLogin(t, challenge, wrong, { ip }));
    expect(codeOf(await completeLogin(t, challenge, wrong, { ip }))).toBe('RATE_LIMITED');
  });

  it('starts one session of two simultaneous completions of one challenge', async () => {
    const { account, secret, recoveryCodes, session } = await signUpWithTotp(t);
    const challenge = await challengeFor(t, account);
    const code = totpCode(secret, t.clock.now());
    const answers = await Promise.all([completeLogin(t, challenge, code), completeLogin(t, challenge, code), completeLogin(t, challenge, recoveryCodes[0]!)]);
    expect(answers.map(codeOf).filter((code) => code === 'OK')).toHaveLength(1);
    expect(await sessionCount(t, session.user.id)).toBe(2);
    // The recovery code was given back if it lost, or spent if it won: never spent by a loser.
    const won = answers.findIndex((answer) => codeOf(answer) === 'OK');
    const left = await graphql<{ me: { secondFactors: { recoveryCodesLeft: number } } }>(t.app, 'query { me { secondFactors { recoveryCodesLeft } } }', { token: session.accessToken! });
    expect(left.data!.me.secondFactors.recoveryCodesLeft).toBe(won === 2 ? 9 : 10);
  });

  it('lets one of two simultaneous logins with one recovery code through', async () => {
    const { account, recoveryCodes, session } = await signUpWithTotp(t);
    const [first, second] = [await challengeFor(t, account), await challengeFor(t, account)];
    const answers = await Promise.all([completeLogin(t, first, recoveryCodes[5]!), completeLogin(t, second, recoveryCodes[5]!)]);
    expect(answers.map(codeOf).sort()).toEqual(['INVALID_CREDENTIALS', 'OK']);
    expect(await sessionCount(t, session.user.id)).toBe(2);
  });

  it('answers NUL bytes, 10 kB codes and codes of no known shape with BAD_USER_INPUT on code, spending no try', async () => {
    const { account, secret, session } = await signUpWithTotp(t);
    const challenge = await challengeFor(t, account);
    for (const code of ['12345\u0000', '1'.repeat(10_000), 'abcdef', '12345', '1234567', '12 34 5x', 'zzzz-zzzz-zzzz-zzz!']) {
      const answer = await completeLogin(t, challenge, code);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    }
    // Seven refusals, five tries: none was spent, the challenge still completes.
    expect(codeOf(await completeLogin(t, challenge, totpCode(secret, t.clock.now())))).toBe('OK');
    expect(await sessionCount(t, session.user.id)).toBe(2);
  });

  it('ends the logins waiting for a second factor when the password changes', async () => {
    const { account, secret } = await signUpWithTotp(t);
    const waiting = await challengeFor(t, account);
    const fresh = (await completeLogin(t, await challengeFor(t, account), totpCode(secret, t.clock.now()))).data!.completeLogin;
    toNextStep(t);
    const changed = await graphql(t.app, 'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }', {
      token: fresh.accessToken!,
      variables: { c: account.password, n: 'another long password' },
    });
    expect(changed.errors).toBeUndefined();
    expectDeadChallenge(await completeLogin(t, waiting, totpCode(secret, t.clock.now())));
  });

  it('completes on a second instance a login the first one challenged, and that instance refuses the code again', async () => {
    const peer = await t.createPeer();
    try {
      const { account, secret } = await signUpWithTotp(t);
      const code = totpCode(secret, t.clock.now());
      const completed = await completeLogin(peer, await challengeFor(t, account), code);
      expect(completed.errors).toBeUndefined();
      expect((await graphql(t.app, ME, { token: completed.data!.completeLogin.accessToken! })).status).toBe(200);
      expectWrongCode(await completeLogin(t, await challengeFor(peer, account), code));
    } finally {
      await peer.close();
    }
  });

  it('writes no secret, code or challenge to the logs', async () => {
    const { account, secret, recoveryCodes } = await signUpWithTotp(t);
    const challenge = await challengeFor(t, account);
    const code = totpCode(secret, t.clock.now());
    await completeLogin(t, challenge, '000000');
    await completeLogin(t, challenge, code);
    const logs = t.logs.join('\n');
    for (const secretText of [secret, challenge, code, ...recoveryCodes, ...recoveryCodes.map((text) => text.replaceAll('-', ''))]) expect(logs).not.toContain(secretText);
  });
});

/** The secret as the app holds it, opened with the service's own envelope, for tests that lost the enrolment answer. */
async function secretOf(t: TestApp, email: string): Promise<string | undefined> {
  const { createSecretEnvelope } = await import('../src/auth/secret-envelope.ts');
  const [row] = await t.orm.em.fork().execute<{ user_id: string; sealed_secret: Buffer }[]>(
    'select c.user_id, c.sealed_secret from totp_credentials c join users u on u.id = c.user_id where u.email = ?',
    [email],
  );
  return row && createSecretEnvelope(t.config.keyEncryptionSecret!).open(row.sealed_secret, `totp:${row.user_id}`)?.plaintext;
}
