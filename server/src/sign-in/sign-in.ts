import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { GraphQLContext } from '../builder.ts';
import { User } from '../database/entities/user.entity.ts';
import { emailNotVerified, emailTaken, invalidCredentials, secondFactorRequired } from '../errors.ts';
import { queueVerificationEmail, resendVerificationEmailIfAllowed } from '../account/email-verification.ts';
import { normalizeEmail, validateEmail, validateName } from '../user/user-input.ts';
import { deliverTokens, type AuthPayload, type TokenTransport } from '../auth/auth-payload.ts';
import { issueLoginChallenge } from '../second-factor/login-challenge.ts';
import { secondFactorMethods } from '../second-factor/methods.ts';
import { chargeOrRefuse, settleSuccessfulPasswordCheck, takeBackPasswordCheck } from '../auth/login-limits.ts';
import { checkPassword, clientIpKey } from '../auth/password-check.ts';
import { hashCost, hashPassword, lockPasswordHash, validatePassword } from '../auth/password.ts';
import { startSessionHere } from '../auth/start-session-here.ts';

/**
 * Creates an account, its first session and the email that proves its address, in one
 * transaction; two sign-ups racing for one email are decided by the unique index. With
 * `REQUIRE_EMAIL_VERIFICATION` the account is created and the link sent, but no session: the
 * answer is `EMAIL_NOT_VERIFIED`, as for a login of the account until the link is followed.
 */
export async function signUp(
  context: GraphQLContext,
  input: { email: string; password: string; name: string },
  transport: TokenTransport,
): Promise<AuthPayload> {
  const email = validateEmail(input.email);
  const name = validateName(input.name);
  const password = validatePassword('password', input.password);
  const em = context.em();
  const signupLimit = context.config.rateLimits.signupIp;
  if (signupLimit) await chargeOrRefuse(context, 'signup', [{ key: `signup:ip:${clientIpKey(context)}`, rule: signupLimit }]);
  if ((await em.count(User, { email })) > 0) throw emailTaken();
  const passwordHash = await hashPassword(password, context.config.bcryptCost, [`ip:${clientIpKey(context)}`]);
  const now = context.now();
  const created = await em
    .transactional(async (tx) => {
      const user = tx.create(User, { email, name, avatarUrl: null, passwordHash, emailVerified: false });
      // The row first: the verification link refers to it.
      await tx.flush();
      await queueVerificationEmail(tx, context, user, now);
      return { user, issued: context.config.requireEmailVerification ? undefined : startSessionHere(tx, context, user.id, ['pwd']) };
    })
    .catch((error: unknown) => {
      throw error instanceof UniqueConstraintViolationException ? emailTaken() : error;
    });
  if (!created.issued) throw emailNotVerified();
  return deliverTokens(context, created.user, created.issued, transport, { rememberDevice: true });
}

/**
 * Logs in with email and password: the check is counted and fairly queued (password-check.ts);
 * the session is written under the user's row lock only while the verified hash is still the
 * stored one, so no session from an old password outlives a password change. With
 * `REQUIRE_EMAIL_VERIFICATION`, an unverified account answers `EMAIL_NOT_VERIFIED`, and only
 * after the right password, so the answer tells nothing to someone without it. An account with a
 * second factor gets no session but `SECOND_FACTOR_REQUIRED` with a challenge (issued under the
 * same row lock) for `completeLogin`; its failed attempts keep counting until that succeeds.
 */
export async function logIn(
  context: GraphQLContext,
  input: { email: string; password: string; deviceToken?: string | null },
  transport: TokenTransport,
): Promise<AuthPayload> {
  const { config } = context;
  const em = context.em();
  const email = normalizeEmail(input.email);
  const user = await em.findOne(User, { email }, { populate: ['passwordHash'] });
  const presentedDeviceToken = transport === 'BEARER' ? (input.deviceToken ?? undefined) : await context.deviceTokenCookie();
  const { matches, limits, owners } = await checkPassword(context, 'login', { email, user, password: input.password, presentedDeviceToken });
  if (!user || !matches) throw invalidCredentials();
  if (config.requireEmailVerification && !user.emailVerified) {
    // The password was right: not a failure to count. Without a session the owner cannot ask for a link, so one is sent.
    await settleSuccessfulPasswordCheck(em, limits);
    await resendVerificationEmailIfAllowed(context, user);
    throw emailNotVerified();
  }
  const upgradedHash = hashCost(user.passwordHash) < config.bcryptCost ? await hashPassword(input.password, config.bcryptCost, owners) : undefined;
  const now = context.now();
  const outcome = await em.transactional(async (tx) => {
    if (!(await lockPasswordHash(tx, user.id, { password: input.password, verifiedHash: user.passwordHash, owners }))) return undefined;
    // Only the hash just verified is replaced: a password changed meanwhile is never written back.
    if (upgradedHash) await tx.execute('update users set password_hash = ? where id = ?', [upgradedHash, user.id]);
    const methods = await secondFactorMethods(tx, user.id);
    if (methods.length > 0) return { methods, challenge: await issueLoginChallenge(tx, { userId: user.id, amr: ['pwd'], now }) };
    return { issued: startSessionHere(tx, context, user.id, ['pwd']) };
  });
  if (!outcome) {
    context.metrics.loginFailures.inc();
    throw invalidCredentials();
  }
  if (outcome.issued === undefined) {
    // The password was right, so it is no failure; but the login is not done, so earlier failures still count.
    await takeBackPasswordCheck(em, limits);
    throw secondFactorRequired(outcome.challenge, outcome.methods);
  }
  await settleSuccessfulPasswordCheck(em, limits);
  return deliverTokens(context, user, outcome.issued, transport, { rememberDevice: true });
}
