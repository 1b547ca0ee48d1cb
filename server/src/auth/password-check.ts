import type { GraphQLContext } from '../builder.ts';
import { deviceTokenTrusts } from './device-token.ts';
import { chargeOrRefuse, hashOwnersOf, passwordCheckCharges, type LimitedAction, type PasswordCheckCharges } from './login-limits.ts';
import { verifyPassword, type HashOwners } from './password.ts';

// Requests whose address is unknown (no socket, no trusted proxy header) share one bucket.
export const clientIpKey = (context: Pick<GraphQLContext, 'clientIp'>) => context.clientIp ?? 'unknown';

export interface PasswordCheck {
  matches: boolean;
  /** To settle once whatever the check was for has succeeded. */
  limits: PasswordCheckCharges;
  /** Whom further hashing for this request is done for. */
  owners: HashOwners;
}

/**
 * Every check of an existing password (login, the current password of a change or of a deletion) goes through here
 * and is counted alike: charged to the login limits before bcrypt runs (so while limited even the
 * right password is refused), with a known device counted apart, and hashed in the fair queue.
 * An unknown account is checked against the dummy hash, so timing does not tell which emails exist.
 */
export async function checkPassword(
  context: GraphQLContext,
  action: 'login' | 'change_password' | 'change_email' | 'delete_account',
  { email, user, password, presentedDeviceToken }: { email: string; user: { id: string; passwordHash: string } | null; password: string; presentedDeviceToken: string | undefined },
): Promise<PasswordCheck> {
  const ip = clientIpKey(context);
  const limits = await chargeLoginAttempt(context, action, { email, userId: user?.id, presentedDeviceToken });
  const owners = hashOwnersOf({ email, ip });
  const matches = (await verifyPassword(password, user?.passwordHash ?? context.dummyPasswordHash, owners)) && user !== null;
  if (!matches) context.metrics.loginFailures.inc();
  return { matches, limits, owners };
}

/**
 * Charges one attempt to prove who someone is (a password, or a second factor's code) to the
 * login limits of the account and this address, with a known device counted apart, or answers
 * `RATE_LIMITED`. Returns the charges, to settle once the attempt succeeded.
 */
export async function chargeLoginAttempt(
  context: GraphQLContext,
  action: LimitedAction,
  { email, userId, presentedDeviceToken }: { email: string; userId: string | undefined; presentedDeviceToken: string | undefined },
): Promise<PasswordCheckCharges> {
  const { config } = context;
  const trusted = deviceTokenTrusts(context.signingKeys.current(), presentedDeviceToken, userId, { publicOrigin: config.publicOrigin, now: context.now() });
  const limits = passwordCheckCharges(config.rateLimits, { email, ip: clientIpKey(context), deviceToken: trusted ? presentedDeviceToken : undefined });
  await chargeOrRefuse(context, action, limits.charges);
  return limits;
}
