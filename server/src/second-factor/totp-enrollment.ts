import type { GraphQLContext } from '../builder.ts';
import { User } from '../database/entities/user.entity.ts';
import { forbidden, unauthenticated } from '../errors.ts';
import { settleSuccessfulPasswordCheck } from '../auth/login-limits.ts';
import { chargeLoginAttempt } from '../auth/password-check.ts';
import { recordSecondFactorOnSession, requireRecentSecondFactor } from './step-up.ts';
import { wrongCode } from './complete-login.ts';
import { deleteRecoveryCodes, replaceRecoveryCodes } from './recovery-codes.ts';
import { parseTotpCode } from './second-factor-code.ts';
import { totpKeyUri } from './totp.ts';
import { acceptTotpCode, beginTotp, deleteTotp } from './totp-store.ts';

async function viewerAccount(context: GraphQLContext) {
  const viewer = await context.viewer();
  const user = await context.em().findOne(User, { id: viewer.userId });
  if (!user) throw unauthenticated('SESSION_REVOKED');
  return { viewer, user };
}

/**
 * `beginTotpEnrollment`: a new secret for the signed-in user, sealed and pending, returned once as
 * base32 text and as the `otpauth://` URI (issuer `APP_NAME`, the account's email) for a QR
 * code. Nothing counts until `confirmTotpEnrollment`; starting again replaces a pending secret.
 * An app that is on already stays as it is until turned off.
 */
export async function beginTotpEnrollment(context: GraphQLContext): Promise<{ secret: string; uri: string }> {
  const { user } = await viewerAccount(context);
  // Seeds are only ever stored sealed; a deployment with JWT_PRIVATE_KEYS and no KEY_ENCRYPTION_SECRET has nothing to seal them with.
  if (!context.envelope) throw forbidden('The authenticator app needs KEY_ENCRYPTION_SECRET to be set on the server.');
  const secret = await beginTotp(context.em(), context.envelope, { userId: user.id, now: context.now() });
  if (!secret) throw forbidden('The authenticator app is on already; turn it off first to set up another.');
  return { secret, uri: totpKeyUri(secret, { issuer: context.config.appName, accountName: user.email }) };
}

/**
 * `confirmTotpEnrollment`: a code from the app turns the pending secret on and counts as a second
 * factor proven on this session; ten new recovery codes are returned, to be shown once. The
 * attempt is charged to the login limits like a password; a wrong code changes nothing else.
 */
export async function confirmTotpEnrollment(context: GraphQLContext, rawCode: string): Promise<string[]> {
  const code = parseTotpCode('code', rawCode);
  const { viewer, user } = await viewerAccount(context);
  const em = context.em();
  const limits = await chargeLoginAttempt(context, 'second_factor', { email: user.email, userId: user.id, presentedDeviceToken: await context.deviceTokenCookie() });
  const now = context.now();
  const codes = await em.transactional(async (tx) => {
    if (!(await acceptTotpCode(tx, context.envelope, { userId: user.id, code, now, confirming: true }))) return undefined;
    await recordSecondFactorOnSession(tx, viewer, now);
    return replaceRecoveryCodes(tx, user.id, now);
  });
  if (!codes) {
    context.metrics.loginFailures.inc();
    throw wrongCode();
  }
  await settleSuccessfulPasswordCheck(em, limits);
  return codes;
}

/** `disableTotp` (step-up): the app's secret and every recovery code gone. False when the app was not on. */
export async function disableTotp(context: GraphQLContext): Promise<boolean> {
  const viewer = await context.viewer();
  await requireRecentSecondFactor(context, viewer);
  return context.em().transactional(async (tx) => {
    const removed = await deleteTotp(tx, viewer.userId);
    await deleteRecoveryCodes(tx, viewer.userId);
    return removed;
  });
}

/** `regenerateRecoveryCodes` (step-up): ten new codes replace every old one, used or not. */
export async function regenerateRecoveryCodes(context: GraphQLContext): Promise<string[]> {
  const viewer = await context.viewer();
  await requireRecentSecondFactor(context, viewer);
  const now = context.now();
  const codes = await context.em().transactional(async (tx) => {
    // Under the app's row lock: codes are never issued for an app being turned off at the same time.
    const rows = await tx.execute('select 1 from totp_credentials where user_id = ? and enabled_at is not null for update', [viewer.userId]);
    return rows.length > 0 ? replaceRecoveryCodes(tx, viewer.userId, now) : undefined;
  });
  if (!codes) throw forbidden('Turn on the authenticator app first: recovery codes come with it.');
  return codes;
}
