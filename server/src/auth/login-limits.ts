import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RateLimits } from '../config.ts';
import { refundAttempt, resetCounters, type Charge } from './rate-limit.ts';

// Counter keys carry a hash, not the email: the table should not become a list of who tried what.
const accountKey = (email: string) => createHash('sha256').update(email).digest('base64url').slice(0, 22);

/**
 * The counters a login attempt is charged to: per account and IP, per account (unless the device
 * logged in to this account before) and per IP.
 */
export function loginCharges(limits: RateLimits, { email, ip, trustedDevice }: { email: string; ip: string; trustedDevice: boolean }): Charge[] {
  const account = accountKey(email);
  const charges: (Charge | null)[] = [
    limits.loginAccountIp && { key: `login:account-ip:${account}:${ip}`, rule: limits.loginAccountIp },
    limits.loginAccount && !trustedDevice ? { key: `login:account:${account}`, rule: limits.loginAccount } : null,
    limits.loginIp && { key: `login:ip:${ip}`, rule: limits.loginIp },
  ];
  return charges.filter((charge): charge is Charge => charge !== null);
}

/** Only failures count: a successful login clears its account+IP counter and takes back its other charges. */
export async function settleSuccessfulLogin(em: EntityManager, charges: Charge[]): Promise<void> {
  const [accountIp, others] = [charges.filter((c) => c.key.startsWith('login:account-ip:')), charges.filter((c) => !c.key.startsWith('login:account-ip:'))];
  await resetCounters(em, accountIp.map((charge) => charge.key));
  await refundAttempt(em, others.map((charge) => charge.key));
}
