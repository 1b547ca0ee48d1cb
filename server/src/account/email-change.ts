import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { GraphQLContext } from '../builder.ts';
import { User } from '../database/entities/user.entity.ts';
import { badUserInput, emailTaken, invalidCredentials, unauthenticated } from '../errors.ts';
import { validateEmail } from '../user/user-input.ts';
import { announceProfileChange } from '../user/profile-cache.ts';
import { PROFILE_COLUMNS, profileOfRow, type ProfileRow, type UserProfile } from '../user/user-profile.ts';
import { chargeOrRefuse, settleSuccessfulPasswordCheck } from '../auth/login-limits.ts';
import { checkPassword } from '../auth/password-check.ts';
import { lockPasswordHash } from '../auth/password.ts';
import { requireRecentSecondFactor } from '../second-factor/step-up.ts';
import { consumeEmailToken, deleteEmailTokens, invalidEmailToken, issueEmailToken } from '../email/email-token.ts';
import { emailChangeConfirmation, emailChangedNotice, emailChangeRequestedNotice } from '../email/messages.ts';
import { queueEmail } from '../email/outbox.ts';
import { verificationEmailCharge } from './email-verification.ts';

const WRONG_PASSWORD = 'The current password is incorrect.';

/**
 * `changeEmail`: changes nothing yet. The current password is checked like a login (counted, and
 * re-checked under the row lock, so a password changed meanwhile wins); then a link goes to the
 * new address (the token carries it) and a notice to the current one, in one transaction. The
 * address is taken only when the link is followed (`confirmEmailChange`).
 */
export async function changeEmail(context: GraphQLContext, { newEmail, currentPassword }: { newEmail: string; currentPassword: string }): Promise<true> {
  const viewer = await context.viewer();
  const email = validateEmail(newEmail, 'newEmail');
  const { config } = context;
  const em = context.em();
  const user = await em.findOne(User, { id: viewer.userId }, { populate: ['passwordHash'] });
  if (!user) throw unauthenticated('SESSION_REVOKED');
  await requireRecentSecondFactor(context, viewer);
  if (email === user.email) throw badUserInput('newEmail', 'This is already your email address.');
  const presentedDeviceToken = await context.deviceTokenCookie();
  const { matches, limits, owners } = await checkPassword(context, 'change_email', { email: user.email, user, password: currentPassword, presentedDeviceToken });
  if (!matches) throw invalidCredentials(WRONG_PASSWORD, 'currentPassword');
  await settleSuccessfulPasswordCheck(em, limits);
  // Only after the password: whoever holds a stolen access token alone learns nothing about other accounts.
  if ((await em.count(User, { email })) > 0) throw emailTaken('newEmail');
  await chargeOrRefuse(context, 'change_email', verificationEmailCharge(context, user.id));
  const now = context.now();
  const lifetimeMs = config.emailVerificationTtlMs;
  const queued = await em.transactional(async (tx) => {
    if (!(await lockPasswordHash(tx, user.id, { password: currentPassword, verifiedHash: user.passwordHash, owners }))) return false;
    const token = await issueEmailToken(tx, { userId: user.id, purpose: 'email_change', newEmail: email, now, ttlMs: lifetimeMs });
    if (!token) return false;
    const mail = { userId: user.id, envelope: context.envelope, now };
    await queueEmail(tx, emailChangeConfirmation(config, { email, name: user.name }, { token, lifetimeMs }), mail);
    await queueEmail(tx, emailChangeRequestedNotice(config, user, { newEmail: email }), mail);
    return true;
  });
  if (!queued) throw invalidCredentials(WRONG_PASSWORD, 'currentPassword');
  return true;
}

/**
 * `confirmEmailChange`: following the link proves the new address, so no session is needed. In one
 * transaction the link is spent and the address moved (the unique index decides a race for it)
 * and marked proven; the user's other links, all sent to the old address, stop working; the old
 * address gets a notice; every instance drops its copy of the profile. If the address was taken
 * meanwhile the answer is `EMAIL_TAKEN` and the link is spent all the same: it can never succeed
 * while the other account holds the address, and a new request is one step away.
 */
export async function confirmEmailChange(context: GraphQLContext, token: string): Promise<UserProfile> {
  const { config } = context;
  const now = context.now();
  const outcome = await context.em().transactional(async (tx) => {
    const consumed = await consumeEmailToken(tx, token, { purpose: 'email_change', now });
    if (!consumed?.newEmail) return undefined;
    const [old] = await tx.execute<{ email: string; name: string }[]>('select email, name from users where id = ? for update', [consumed.userId]);
    if (!old) return undefined;
    let row: ProfileRow | undefined;
    try {
      // In a savepoint, so a unique violation undoes the move but not the spent link.
      [row] = await tx.transactional((inner) =>
        inner.execute<ProfileRow[]>(`update users set email = ?, email_verified = true, updated_at = ? where id = ? returning ${PROFILE_COLUMNS}`, [
          consumed.newEmail,
          now,
          consumed.userId,
        ]),
      );
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return 'taken' as const;
      throw error;
    }
    if (!row) return undefined;
    const profile = profileOfRow(row);
    await deleteEmailTokens(tx, profile.id, ['password_reset', 'email_verification', 'email_change']);
    await queueEmail(tx, emailChangedNotice(config, old, { newEmail: profile.email }), { userId: profile.id, envelope: context.envelope, now });
    await announceProfileChange(tx, profile.id);
    return profile;
  });
  if (outcome === 'taken') throw emailTaken(null);
  if (!outcome) throw invalidEmailToken();
  context.profiles.forget(outcome.id);
  return outcome;
}
