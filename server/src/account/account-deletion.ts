import type { GraphQLContext } from '../builder.ts';
import { User } from '../database/entities/user.entity.ts';
import { invalidCredentials, unauthenticated } from '../errors.ts';
import { announceProfileChange } from '../user/profile-cache.ts';
import { settleSuccessfulPasswordCheck } from '../auth/login-limits.ts';
import { checkPassword } from '../auth/password-check.ts';
import { lockPasswordHash } from '../auth/password.ts';
import { requireRecentSecondFactor } from '../second-factor/step-up.ts';
import { revokeSessions } from '../auth/session-store.ts';
import { accountDeletedNotice } from '../email/messages.ts';
import { queueEmail } from '../email/outbox.ts';

const WRONG_PASSWORD = 'The current password is incorrect.';

/**
 * `deleteAccount`: the current password is checked like a login (counted, and re-checked under the
 * row lock). In one transaction every session is ended (announced to every instance, so the
 * account's access tokens stop working everywhere within a second), the goodbye is queued without
 * an owner so it outlives the account, and the user's row is deleted: sessions, spent refresh
 * tokens, email links and unsent mail go with it. The email is free to sign up again.
 */
export async function deleteAccount(context: GraphQLContext, currentPassword: string): Promise<true> {
  const viewer = await context.viewer();
  const em = context.em();
  const user = await em.findOne(User, { id: viewer.userId }, { populate: ['passwordHash'] });
  if (!user) throw unauthenticated('SESSION_REVOKED');
  await requireRecentSecondFactor(context, viewer);
  const presentedDeviceToken = await context.deviceTokenCookie();
  const { matches, limits, owners } = await checkPassword(context, 'delete_account', { email: user.email, user, password: currentPassword, presentedDeviceToken });
  if (!matches) throw invalidCredentials(WRONG_PASSWORD, 'currentPassword');
  const now = context.now();
  const revoked = await em.transactional(async (tx) => {
    if (!(await lockPasswordHash(tx, user.id, { password: currentPassword, verifiedHash: user.passwordHash, owners }))) return undefined;
    const ended = await revokeSessions(tx, { userId: user.id, reason: 'account_deleted', now });
    await queueEmail(tx, accountDeletedNotice(context.config, user), { userId: null, envelope: context.envelope, now });
    await tx.execute('delete from users where id = ?', [user.id]);
    await announceProfileChange(tx, user.id);
    return ended;
  });
  if (!revoked) throw invalidCredentials(WRONG_PASSWORD, 'currentPassword');
  await settleSuccessfulPasswordCheck(em, limits);
  context.sessionsEnded(revoked, 'account_deleted');
  context.profiles.forget(user.id);
  await context.clearSession();
  return true;
}
