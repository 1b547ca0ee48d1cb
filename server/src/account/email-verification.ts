import type { EntityManager } from '@mikro-orm/postgresql';
import type { GraphQLContext } from '../builder.ts';
import { User } from '../database/entities/user.entity.ts';
import { unauthenticated } from '../errors.ts';
import { chargeOrRefuse } from '../auth/login-limits.ts';
import { chargeAttempt, type Charge } from '../auth/rate-limit.ts';
import { consumeEmailToken, invalidEmailToken, issueEmailToken } from '../email/email-token.ts';
import { verificationEmail } from '../email/messages.ts';
import { queueEmail } from '../email/outbox.ts';
import { announceProfileChange } from '../user/profile-cache.ts';
import { PROFILE_COLUMNS, profileOfRow, type ProfileRow, type UserProfile } from '../user/user-profile.ts';

type Mailing = Pick<GraphQLContext, 'config' | 'envelope'>;

/**
 * Issues a link that proves the user's current address and queues it, inside `tx`: the link and
 * its email commit together or not at all. A newer link supersedes the older ones.
 */
export async function queueVerificationEmail(tx: EntityManager, { config, envelope }: Mailing, user: { id: string; email: string; name: string }, now: Date): Promise<void> {
  const lifetimeMs = config.emailVerificationTtlMs;
  const token = await issueEmailToken(tx, { userId: user.id, purpose: 'email_verification', now, ttlMs: lifetimeMs });
  if (!token) return;
  await queueEmail(tx, verificationEmail(config, user, { token, lifetimeMs }), { userId: user.id, envelope, now });
}

/** The per-account counter of emails with a link that proves an address (verification, email change); none when switched off. */
export function verificationEmailCharge(context: Pick<GraphQLContext, 'config'>, userId: string): Charge[] {
  const rule = context.config.rateLimits.verificationEmailUser;
  return rule ? [{ key: `verification-email:user:${userId}`, rule }] : [];
}

/** `sendVerificationEmail`: a fresh link for the signed-in user, unless the address is already proven. */
export async function sendVerificationEmail(context: GraphQLContext): Promise<true> {
  const { userId } = await context.viewer();
  const em = context.em();
  const user = await em.findOne(User, { id: userId });
  if (!user) throw unauthenticated('SESSION_REVOKED');
  // Nothing to prove, so nothing is sent (and nothing counted).
  if (user.emailVerified) return true;
  await chargeOrRefuse(context, 'verification_email', verificationEmailCharge(context, userId));
  const now = context.now();
  await em.transactional((tx) => queueVerificationEmail(tx, context, user, now));
  return true;
}

/**
 * For a login refused with `EMAIL_NOT_VERIFIED`: sends a fresh link while the per-account limit
 * allows, and otherwise nothing, without an error; the owner cannot ask for one without a session.
 */
export async function resendVerificationEmailIfAllowed(context: GraphQLContext, user: { id: string; email: string; name: string }): Promise<void> {
  const now = context.now();
  const em = context.em();
  const verdict = await chargeAttempt(em, verificationEmailCharge(context, user.id), now);
  if (!verdict.allowed) return;
  await em.transactional((tx) => queueVerificationEmail(tx, context, user, now));
}

/** `verifyEmail`: spends the link and marks the address proven; every instance drops its copy of the profile. */
export async function verifyEmail(context: GraphQLContext, token: string): Promise<UserProfile> {
  const now = context.now();
  const profile = await context.em().transactional(async (tx) => {
    const consumed = await consumeEmailToken(tx, token, { purpose: 'email_verification', now });
    if (!consumed) return undefined;
    const [row] = await tx.execute<ProfileRow[]>(`update users set email_verified = true, updated_at = ? where id = ? returning ${PROFILE_COLUMNS}`, [now, consumed.userId]);
    if (!row) return undefined;
    await announceProfileChange(tx, row.id);
    return profileOfRow(row);
  });
  if (!profile) throw invalidEmailToken();
  context.profiles.forget(profile.id);
  return profile;
}
