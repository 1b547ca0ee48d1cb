import type { GraphQLContext } from '../builder.ts';
import { User } from '../database/entities/user.entity.ts';
import { forbidden, unauthenticated } from '../errors.ts';
import { settleSuccessfulPasswordCheck } from '../auth/login-limits.ts';
import { verifyPasskeyAssertion } from '../auth/passkey-authentication.ts';
import { chargeLoginAttempt } from '../auth/password-check.ts';
import { recordSecondFactorOnSession } from './step-up.ts';
import { wrongCode } from './complete-login.ts';
import { secondFactorMethods } from './methods.ts';
import { parseSecondFactorCode } from './second-factor-code.ts';
import { proveWithCode } from './second-factor-proof.ts';

/**
 * `verifySecondFactor`: proves a second factor on the current session (an app's code, accepted
 * once; a recovery code, spent; or a passkey's assertion for this account), opening the ten
 * minutes in which it may make sensitive changes. Charged to the login limits like a password.
 */
export async function verifySecondFactor(context: GraphQLContext, factor: { code: string } | { passkeyResponse: string }): Promise<true> {
  const proof = 'code' in factor ? { code: parseSecondFactorCode('code', factor.code) } : factor;
  const viewer = await context.viewer();
  const em = context.em();
  const user = await em.findOne(User, { id: viewer.userId });
  if (!user) throw unauthenticated('SESSION_REVOKED');
  // A passkey's assertion speaks for itself; a code needs a factor to be checked against.
  if ('code' in proof && (await secondFactorMethods(em, user.id)).length === 0) throw forbidden('This account has no second factor to verify.');
  const limits = await chargeLoginAttempt(context, 'second_factor', { email: user.email, userId: user.id, presentedDeviceToken: await context.deviceTokenCookie() });
  const now = context.now();
  if ('passkeyResponse' in proof) {
    await verifyPasskeyAssertion(context, proof.passkeyResponse, { expectedUserId: user.id });
    await recordSecondFactorOnSession(em, viewer, now);
  } else {
    const proven = await em.transactional(async (tx) => {
      const method = await proveWithCode(tx, context.envelope, { userId: user.id, code: proof.code, now });
      if (method) await recordSecondFactorOnSession(tx, viewer, now);
      return method;
    });
    if (!proven) {
      context.metrics.loginFailures.inc();
      throw wrongCode();
    }
  }
  await settleSuccessfulPasswordCheck(em, limits);
  return true;
}
