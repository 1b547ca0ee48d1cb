import { builder } from '../builder.ts';
import { invalidCredentials, unauthenticated } from '../errors.ts';
import { User } from '../database/entities/user.entity.ts';
import { hashPassword, lockPasswordHash, validatePassword } from '../auth/password.ts';
import { revokeSessions } from '../auth/session-store.ts';
import { settleSuccessfulPasswordCheck } from '../auth/login-limits.ts';
import { checkPassword } from '../auth/password-check.ts';
import { requireRecentSecondFactor } from '../second-factor/step-up.ts';
import { endLoginChallenges } from '../second-factor/login-challenge.ts';
import { deleteEmailTokens } from '../email/email-token.ts';
import { passwordChangedNotice } from '../email/messages.ts';
import { queueEmail } from '../email/outbox.ts';

builder.mutationField('changePassword', (t) =>
  t.field({
    type: 'Boolean',
    description:
      "Changes the password, ends the user's other sessions and emails a notice. With a second factor: needs one proven on this session within 10 minutes (STEP_UP_REQUIRED).",
    args: {
      currentPassword: t.arg.string({ required: true }),
      newPassword: t.arg.string({ required: true }),
    },
    resolve: async (_root, { currentPassword, newPassword }, context) => {
      const viewer = await context.viewer();
      validatePassword('newPassword', newPassword);
      const { config } = context;
      const em = context.em();
      const user = await em.findOne(User, { id: viewer.userId }, { populate: ['passwordHash'] });
      if (!user) throw unauthenticated('SESSION_REVOKED');
      await requireRecentSecondFactor(context, viewer);
      const presentedDeviceToken = await context.deviceTokenCookie();
      const { matches, limits, owners } = await checkPassword(context, 'change_password', { email: user.email, user, password: currentPassword, presentedDeviceToken });
      if (!matches) throw invalidCredentials('The current password is incorrect.', 'currentPassword');
      const passwordHash = await hashPassword(newPassword, config.bcryptCost, owners);
      const now = context.now();
      const revoked = await em.transactional(async (tx) => {
        // A login or another change that committed since the check above must not be overruled.
        if (!(await lockPasswordHash(tx, user.id, { password: currentPassword, verifiedHash: user.passwordHash, owners }))) return undefined;
        await tx.nativeUpdate(User, { id: user.id }, { passwordHash, updatedAt: now });
        // Whoever knew the old password may have asked for an email change too: that link stops working.
        await deleteEmailTokens(tx, user.id, ['email_change']);
        // So do logins that passed the old password and wait for their second factor.
        await endLoginChallenges(tx, user.id);
        await queueEmail(tx, passwordChangedNotice(config, user), { userId: user.id, envelope: context.envelope, now });
        // Whoever knew the old password may hold a session: end every one but this.
        return revokeSessions(tx, { userId: user.id, exceptSessionId: viewer.sessionId, reason: 'password_changed', now });
      });
      if (!revoked) throw invalidCredentials('The current password is incorrect.', 'currentPassword');
      await settleSuccessfulPasswordCheck(em, limits);
      context.sessionsEnded(revoked, 'password_changed');
      return true;
    },
  }),
);
