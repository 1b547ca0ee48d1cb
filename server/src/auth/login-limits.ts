import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RateLimits } from '../config.ts';
import type { GraphQLContext } from '../builder.ts';
import { rateLimited } from '../errors.ts';
import { chargeAttempt, refundAttempt, resetCounters, type Charge } from './rate-limit.ts';
import type { HashOwners } from './password.ts';

/** What counter keys carry instead of an email (or a device token): the table should not become a list of who tried what. */
export const counterDigest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

/** What an attempt was, for the `auth_rate_limited_total` metric. */
export type LimitedAction = 'login' | 'signup' | 'refresh' | 'change_password' | 'change_email' | 'delete_account' | 'password_reset' | 'verification_email' | 'second_factor' | 'passkey_login' | 'passkey_registration';

/** A password check's counters, and which of them start afresh (rather than take the attempt back) when it succeeds. */
export interface PasswordCheckCharges {
  charges: Charge[];
  resetOnSuccess: string[];
}

/**
 * The counters a password check (a login, or the current password of a change) is charged to.
 * Without a device token: per account and IP, per account, and per IP. With a valid device token
 * for the account (see device-token.ts) the attempt is counted apart, in that device's own
 * account+IP bucket and a per-device bucket instead of the shared ones, so strangers on the same
 * address or anywhere else cannot lock a known device out, and a stolen device token still
 * guesses no faster than the account limit allows.
 */
export function passwordCheckCharges(
  limits: RateLimits,
  { email, ip, deviceToken }: { email: string; ip: string; deviceToken: string | undefined },
): PasswordCheckCharges {
  const account = counterDigest(email);
  const accountIp = deviceToken ? `login:device-ip:${account}:${ip}` : `login:account-ip:${account}:${ip}`;
  const candidates: (Charge | null)[] = deviceToken
    ? [
        limits.loginAccountIp && { key: accountIp, rule: limits.loginAccountIp },
        limits.loginAccount && { key: `login:device:${counterDigest(deviceToken)}`, rule: limits.loginAccount },
      ]
    : [
        limits.loginAccountIp && { key: accountIp, rule: limits.loginAccountIp },
        limits.loginAccount && { key: `login:account:${account}`, rule: limits.loginAccount },
        limits.loginIp && { key: `login:ip:${ip}`, rule: limits.loginIp },
      ];
  return { charges: candidates.filter((charge): charge is Charge => charge !== null), resetOnSuccess: [accountIp] };
}

/** Whom the bcrypt work of a password check is done for, so no one address or account can hold every hashing slot. */
export function hashOwnersOf({ email, ip }: { email: string; ip: string }): HashOwners {
  return [`ip:${ip}`, `account:${counterDigest(email)}`];
}

/** Charges an attempt to the given counters or answers RATE_LIMITED (HTTP 429) with the wait. */
export async function chargeOrRefuse(
  context: Pick<GraphQLContext, 'em' | 'now' | 'metrics'>,
  action: LimitedAction,
  charges: Charge[],
): Promise<void> {
  const verdict = await chargeAttempt(context.em(), charges, context.now());
  if (verdict.allowed) return;
  context.metrics.rateLimited.inc({ action });
  throw rateLimited(verdict.retryAfterSeconds);
}

/** Only failures count: a successful check starts its account+IP counter afresh and takes back its other charges. */
export async function settleSuccessfulPasswordCheck(em: EntityManager, { charges, resetOnSuccess }: PasswordCheckCharges): Promise<void> {
  await resetCounters(em, resetOnSuccess);
  await refundAttempt(em, charges.map((charge) => charge.key).filter((key) => !resetOnSuccess.includes(key)));
}

/**
 * Takes back every charge of a successful check without starting any counter afresh: a right
 * password of an account with a second factor is not yet a successful login, so the failures
 * before it (wrong codes too) still count until the second factor is proven.
 */
export async function takeBackPasswordCheck(em: EntityManager, { charges }: PasswordCheckCharges): Promise<void> {
  await refundAttempt(em, charges.map((charge) => charge.key));
}
