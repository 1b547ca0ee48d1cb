import type { EntityManager } from '@mikro-orm/postgresql';
import type { GraphQLContext } from '../builder.ts';
import { clientIpKey } from './password-check.ts';
import { refundAttempt, type Charge } from './rate-limit.ts';

/**
 * The counters a passkey ceremony is charged to: per IP, and for a registration also per account.
 * Each step counts one (the options that begin a ceremony, the response that ends it), before any
 * work; a response that succeeds takes both back, so only ceremonies abandoned or failed add up.
 */
export function passkeyCharges(context: Pick<GraphQLContext, 'config' | 'clientIp'>, { registeringUserId }: { registeringUserId?: string } = {}): Charge[] {
  const { passkeyIp, passkeyRegistrationUser } = context.config.rateLimits;
  const candidates: (Charge | null)[] = [
    passkeyIp && { key: `passkey:ip:${clientIpKey(context)}`, rule: passkeyIp },
    registeringUserId !== undefined && passkeyRegistrationUser ? { key: `passkey:registration:${registeringUserId}`, rule: passkeyRegistrationUser } : null,
  ];
  return candidates.filter((charge): charge is Charge => charge !== null);
}

/** A ceremony finished: its two steps did not fail, so they do not count. */
export async function settleFinishedCeremony(em: EntityManager, charges: Charge[]): Promise<void> {
  const keys = charges.map((charge) => charge.key);
  await refundAttempt(em, keys);
  await refundAttempt(em, keys);
}
