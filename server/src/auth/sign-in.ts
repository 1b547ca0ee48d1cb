import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { GraphQLContext } from '../builder.ts';
import { User } from '../database/entities/user.entity.ts';
import { emailTaken, invalidCredentials } from '../errors.ts';
import { normalizeEmail, validateEmail, validateName } from '../user/user-input.ts';
import { deliverTokens, type AuthPayload, type TokenTransport } from './auth-payload.ts';
import { chargeOrRefuse, settleSuccessfulPasswordCheck } from './login-limits.ts';
import { checkPassword, clientIpKey } from './password-check.ts';
import { hashCost, hashPassword, lockPasswordHash, validatePassword } from './password.ts';
import { startSession, type IssuedRefreshToken } from './session-store.ts';

/** A new session on the calling device, written when `em` flushes (or its transaction commits). */
function startSessionHere(em: EntityManager, context: GraphQLContext, userId: string): IssuedRefreshToken {
  const { refreshIdleTtlMs, sessionMaxAgeMs, refreshGraceMs } = context.config;
  return startSession(em, {
    userId,
    userAgent: context.userAgent,
    ip: context.clientIp,
    now: context.now(),
    policy: { refreshIdleTtlMs, sessionMaxAgeMs, refreshGraceMs },
  });
}

/** Creates an account and its first session; two sign-ups racing for one email are decided by the unique index. */
export async function signUp(
  context: GraphQLContext,
  input: { email: string; password: string; name: string },
  transport: TokenTransport,
): Promise<AuthPayload> {
  const email = validateEmail(input.email);
  const name = validateName(input.name);
  const password = validatePassword('password', input.password);
  const em = context.em();
  const signupLimit = context.config.rateLimits.signupIp;
  if (signupLimit) await chargeOrRefuse(context, 'signup', [{ key: `signup:ip:${clientIpKey(context)}`, rule: signupLimit }]);
  if ((await em.count(User, { email })) > 0) throw emailTaken();
  const passwordHash = await hashPassword(password, context.config.bcryptCost, [`ip:${clientIpKey(context)}`]);
  const user = em.create(User, { email, name, avatarUrl: null, passwordHash });
  const issued = startSessionHere(em, context, user.id);
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw emailTaken();
    throw error;
  }
  return deliverTokens(context, user, issued, transport, { rememberDevice: true });
}

/**
 * Logs in with email and password: the check is counted and fairly queued (password-check.ts);
 * the session is written under the user's row lock only while the verified hash is still the
 * stored one, so no session from an old password outlives a password change.
 */
export async function logIn(
  context: GraphQLContext,
  input: { email: string; password: string; deviceToken?: string | null },
  transport: TokenTransport,
): Promise<AuthPayload> {
  const { config } = context;
  const em = context.em();
  const email = normalizeEmail(input.email);
  const user = await em.findOne(User, { email }, { populate: ['passwordHash'] });
  const presentedDeviceToken = transport === 'BEARER' ? (input.deviceToken ?? undefined) : await context.deviceTokenCookie();
  const { matches, limits, owners } = await checkPassword(context, 'login', { email, user, password: input.password, presentedDeviceToken });
  if (!user || !matches) throw invalidCredentials();
  const upgradedHash = hashCost(user.passwordHash) < config.bcryptCost ? await hashPassword(input.password, config.bcryptCost, owners) : undefined;
  const issued = await em.transactional(async (tx) => {
    if (!(await lockPasswordHash(tx, user.id, { password: input.password, verifiedHash: user.passwordHash, owners }))) return undefined;
    // Only the hash just verified is replaced: a password changed meanwhile is never written back.
    if (upgradedHash) await tx.execute('update users set password_hash = ? where id = ?', [upgradedHash, user.id]);
    return startSessionHere(tx, context, user.id);
  });
  if (!issued) {
    context.metrics.loginFailures.inc();
    throw invalidCredentials();
  }
  await settleSuccessfulPasswordCheck(em, limits);
  return deliverTokens(context, user, issued, transport, { rememberDevice: true });
}
