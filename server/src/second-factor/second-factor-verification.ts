import type { GraphQLContext } from '../builder.ts';
import { User } from '../database/entities/user.entity.ts';
import { forbidden, unauthenticated } from '../errors.ts';
import { settleSuccessfulPasswordCheck } from '../auth/login-limits.ts';
import { chargeLoginAttempt } from '../auth/password-check.ts';
import { recordSecondFactorOnSession } from '../auth/step-up.ts';
import { wrongCode } from './complete-login.ts';
import { secondFactorMethods } from './methods.ts';
import { parseSecondFactorCode } from './second-factor-code.ts';
import { proveWithCode } from './second-factor-proof.ts';

/**
 * `verifySecondFactor`: proves a second factor on the current session (an app's code, accepted
 * once, or a recovery code, spent), opening the ten minutes in which it may make sensitive
 * changes. Charged to the login limits like a password.
 */
export async function verifySecondFactor(context: GraphQLContext, rawCode: string): Promise<true> {
  const code = parseSecondFactorCode('code', rawCode);
  const viewer = await context.viewer();
  const em = context.em();
  const user = await em.findOne(User, { id: viewer.userId });
  if (!user) throw unauthenticated('SESSION_REVOKED');
  if ((await secondFactorMethods(em, user.id)).length === 0) throw forbidden('This account has no second factor to verify.');
  const limits = await chargeLoginAttempt(context, 'second_factor', { email: user.email, userId: user.id, presentedDeviceToken: await context.deviceTokenCookie() });
  const now = context.now();
  const proven = await em.transactional(async (tx) => {
    const method = await proveWithCode(tx, context.envelope, { userId: user.id, code, now });
    if (method) await recordSecondFactorOnSession(tx, viewer, now);
    return method;
  });
  if (!proven) {
    context.metrics.loginFailures.inc();
    throw wrongCode();
  }
  await settleSuccessfulPasswordCheck(em, limits);
  return true;
}
