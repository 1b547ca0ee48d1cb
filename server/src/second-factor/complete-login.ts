import type { EntityManager } from '@mikro-orm/postgresql';
import type { GraphQLContext } from '../builder.ts';
import { User } from '../database/entities/user.entity.ts';
import { invalidCredentials } from '../errors.ts';
import { deliverTokens, type AuthPayload, type TokenTransport } from '../auth/auth-payload.ts';
import { settleSuccessfulPasswordCheck, takeBackPasswordCheck } from '../auth/login-limits.ts';
import { chargeLoginAttempt } from '../auth/password-check.ts';
import type { AuthenticationMethod, IssuedRefreshToken } from '../auth/session-store.ts';
import { startSessionHere } from '../auth/start-session-here.ts';
import { challengeHash, consumeLoginChallenge, findLoginChallenge, spendChallengeTry } from './login-challenge.ts';
import { proveWithCode } from './second-factor-proof.ts';
import type { SecondFactorCode } from './second-factor-code.ts';

/**
 * Checks a second factor of the challenge's user inside the completing transaction and says what
 * it proved (`otp`, `rec`, `hwk`), or undefined when it proved nothing. Whatever it spends (a
 * code's step, a recovery code) is kept only if the login completes.
 */
export type SecondFactorVerifier = (tx: EntityManager, userId: string) => Promise<AuthenticationMethod | undefined>;

/** One answer for a challenge that is unknown, used, expired, out of tries or malformed. */
export function deadChallenge() {
  return invalidCredentials('This login has expired or is invalid; log in again.', 'challenge');
}

export function wrongCode() {
  return invalidCredentials('The code is incorrect.', 'code');
}

/**
 * Finishes a login that answered `SECOND_FACTOR_REQUIRED`, whatever the factor: the attempt is
 * charged to the login limits of the challenge's account (as a password would be), then one of
 * its tries spent; then, in one transaction, the challenge is taken (so of parallel completions
 * exactly one gets it), the factor verified and the session started with the first factor's
 * methods and the second's. A wrong factor rolls that back and answers `INVALID_CREDENTIALS`
 * (`field: "code"`); the spent try and the charge stay. A passkey plugs in as another `verify`.
 */
export async function completeLoginChallenge(
  context: GraphQLContext,
  { challenge, transport, presentedDeviceToken }: { challenge: string; transport: TokenTransport; presentedDeviceToken: string | undefined },
  verify: SecondFactorVerifier,
): Promise<AuthPayload> {
  const em = context.em();
  const now = context.now();
  const hash = challengeHash(challenge);
  const waiting = hash && (await findLoginChallenge(em, hash, now));
  if (!hash || !waiting) throw deadChallenge();
  const limits = await chargeLoginAttempt(context, 'second_factor', { email: waiting.email, userId: waiting.userId, presentedDeviceToken });
  if (!(await spendChallengeTry(em, hash, now))) {
    await takeBackPasswordCheck(em, limits);
    throw deadChallenge();
  }
  const tx = em.fork();
  await tx.begin();
  let outcome: { issued: IssuedRefreshToken; userId: string } | 'dead' | 'wrong';
  try {
    const claimed = await consumeLoginChallenge(tx, hash, now);
    const proven = claimed && (await verify(tx, claimed.userId));
    outcome = !claimed ? 'dead' : !proven ? 'wrong' : { issued: startSessionHere(tx, context, claimed.userId, [...claimed.amr, proven]), userId: claimed.userId };
    // Only a completed login keeps what it spent; a wrong factor leaves the challenge (less one try) and every code as they were.
    if (typeof outcome === 'string') await tx.rollback();
    else await tx.commit();
  } catch (error) {
    await tx.rollback();
    throw error;
  }
  if (outcome === 'dead') throw deadChallenge();
  if (outcome === 'wrong') {
    context.metrics.loginFailures.inc();
    throw wrongCode();
  }
  const user = await em.findOne(User, { id: outcome.userId });
  if (!user) throw deadChallenge();
  await settleSuccessfulPasswordCheck(em, limits);
  return deliverTokens(context, user, outcome.issued, transport, { rememberDevice: true });
}

/** `completeLogin` with a code: an authenticator app's code or a recovery code. */
export function completeLoginWithCode(
  context: GraphQLContext,
  { challenge, code, transport, presentedDeviceToken }: { challenge: string; code: SecondFactorCode; transport: TokenTransport; presentedDeviceToken: string | undefined },
): Promise<AuthPayload> {
  return completeLoginChallenge(context, { challenge, transport, presentedDeviceToken }, (tx, userId) =>
    proveWithCode(tx, context.envelope, { userId, code, now: context.now() }),
  );
}
