import type { GraphQLContext } from '../builder.ts';
import type { AppDependencies } from '../context.ts';
import { User } from '../database/entities/user.entity.ts';
import { validateEmail } from '../user/user-input.ts';
import { announceProfileChange } from '../user/profile-cache.ts';
import { PROFILE_COLUMNS, profileOfRow, type ProfileRow } from '../user/user-profile.ts';
import { deliverTokens, type AuthPayload, type TokenTransport } from '../auth/auth-payload.ts';
import { chargeOrRefuse, counterDigest, passwordCheckCharges } from '../auth/login-limits.ts';
import { clientIpKey } from '../auth/password-check.ts';
import { hashPassword, validatePassword } from '../auth/password.ts';
import { resetCounters, type Charge } from '../auth/rate-limit.ts';
import { revokeSessions } from '../auth/session-store.ts';
import { startSessionHere } from '../auth/start-session-here.ts';
import { secondFactorRequired } from '../errors.ts';
import { endLoginChallenges, issueLoginChallenge } from '../second-factor/login-challenge.ts';
import { secondFactorMethods } from '../second-factor/methods.ts';
import { consumeEmailToken, deleteEmailTokens, emailTokenWorks, invalidEmailToken, issueEmailToken } from '../email/email-token.ts';
import { passwordResetEmail, passwordResetNotice } from '../email/messages.ts';
import { queueEmail } from '../email/outbox.ts';

/**
 * `requestPasswordReset`: always `true`, in the same time for every email. The limits (per IP and
 * per email, known or not) are charged before the answer; whether the email has an account is
 * looked up only after it (deferred-work.ts), so neither the answer, its timing nor the limits
 * tell which emails exist.
 */
export async function requestPasswordReset(context: GraphQLContext, rawEmail: string): Promise<true> {
  const email = validateEmail(rawEmail);
  const { passwordResetIp, passwordResetEmail: perEmail } = context.config.rateLimits;
  const charges: Charge[] = [
    ...(passwordResetIp ? [{ key: `password-reset:ip:${clientIpKey(context)}`, rule: passwordResetIp }] : []),
    ...(perEmail ? [{ key: `password-reset:email:${counterDigest(email)}`, rule: perEmail }] : []),
  ];
  await chargeOrRefuse(context, 'password_reset', charges);
  const { orm, config, envelope, now } = context;
  context.deferred.defer('password-reset', () => sendPasswordResetLink({ orm, config, envelope, now }, email));
  return true;
}

/** After the answer: a reset link to the email if it has an account, and nothing otherwise. */
async function sendPasswordResetLink({ orm, config, envelope, now }: Pick<AppDependencies, 'orm' | 'config' | 'envelope' | 'now'>, email: string): Promise<void> {
  const em = orm.em.fork();
  const user = await em.findOne(User, { email });
  if (!user) return;
  const at = now();
  const lifetimeMs = config.passwordResetTtlMs;
  await em.transactional(async (tx) => {
    const token = await issueEmailToken(tx, { userId: user.id, purpose: 'password_reset', now: at, ttlMs: lifetimeMs });
    if (token) await queueEmail(tx, passwordResetEmail(config, user, { token, lifetimeMs }), { userId: user.id, envelope, now: at });
  });
}

/**
 * `resetPassword`: the new password is checked first (a bad one leaves the link usable), then, in
 * one transaction, the link is spent, the user's row locked and the hash replaced, every session
 * ended, the address marked proven (the link reached it), a session started here and the notice
 * queued. The row lock orders the reset against logins (see `lockPasswordHash`): a login that
 * checked the old password either committed its session before (and the reset ends it) or finds
 * the new hash and is refused. For an account with a second factor the reset happens all the
 * same, but the new session waits for it: the answer is `SECOND_FACTOR_REQUIRED` with a
 * challenge, finished by `completeLogin` (the emailed link alone proves only the mailbox).
 */
export async function resetPassword(
  context: GraphQLContext,
  { token, newPassword }: { token: string; newPassword: string },
  transport: TokenTransport,
): Promise<AuthPayload> {
  const password = validatePassword('newPassword', newPassword);
  const { config } = context;
  const em = context.em();
  const now = context.now();
  // A dead link costs no bcrypt hash.
  if (!(await emailTokenWorks(em, token, { purpose: 'password_reset', now }))) throw invalidEmailToken();
  const ip = clientIpKey(context);
  const passwordHash = await hashPassword(password, config.bcryptCost, [`ip:${ip}`]);
  const reset = await em.transactional(async (tx) => {
    const consumed = await consumeEmailToken(tx, token, { purpose: 'password_reset', now });
    if (!consumed) return undefined;
    // The update holds the row lock that logins and password changes take before they write.
    const [row] = await tx.execute<ProfileRow[]>(
      `update users set password_hash = ?, email_verified = true, updated_at = ? where id = ? returning ${PROFILE_COLUMNS}`,
      [passwordHash, now, consumed.userId],
    );
    if (!row) return undefined;
    const profile = profileOfRow(row);
    const revoked = await revokeSessions(tx, { userId: profile.id, reason: 'password_reset', now });
    // Links sent before the reset stop working; an email change may have been asked for by whoever knew the old password.
    await deleteEmailTokens(tx, profile.id, ['password_reset', 'email_verification', 'email_change']);
    // Logins waiting for a second factor were started with the old password.
    await endLoginChallenges(tx, profile.id);
    const methods = await secondFactorMethods(tx, profile.id);
    const next =
      methods.length > 0
        ? { methods, challenge: await issueLoginChallenge(tx, { userId: profile.id, amr: ['pwd'], now }) }
        : { issued: startSessionHere(tx, context, profile.id, ['pwd']) };
    await queueEmail(tx, passwordResetNotice(config, profile), { userId: profile.id, envelope: context.envelope, now });
    await announceProfileChange(tx, profile.id);
    return { profile, revoked, next };
  });
  if (!reset) throw invalidEmailToken();
  context.sessionsEnded(reset.revoked, 'password_reset');
  context.profiles.forget(reset.profile.id);
  // Only a finished login starts failed attempts afresh; with a second factor that is completeLogin.
  if (reset.next.issued === undefined) throw secondFactorRequired(reset.next.challenge, reset.next.methods);
  // As after a successful login, this address's failed attempts on the account start afresh.
  await resetCounters(em, passwordCheckCharges(config.rateLimits, { email: reset.profile.email, ip, deviceToken: undefined }).resetOnSuccess);
  return deliverTokens(context, reset.profile, reset.next.issued, transport, { rememberDevice: true });
}
