import type { RateLimitRule } from '../config.ts';
import { timestampOf, type HotPool } from '../database/hot-statements.ts';
import { countInWindow, secondsUntil, type Charge, type Verdict } from './rate-limit.ts';

/** Attempts this instance holds for one key, taken from the shared counter and spent locally. */
interface Lease {
  remaining: number;
  /** Epoch milliseconds; unknown (infinite) until the first lease of a window returns. */
  windowEndsAt: number;
  nextSize: number;
  /** The shared counter granted less than asked: nothing is left before the window ends. */
  exhausted: boolean;
  leasing?: Promise<void>;
}

/** A busy key's leases double up to this share of its limit, and never past 100 attempts. */
const MAX_LEASE_SHARE = 0.05;
const MAX_LEASE = 100;

export const maxLeaseSize = (rule: RateLimitRule) => Math.max(1, Math.min(MAX_LEASE, Math.floor(rule.limit * MAX_LEASE_SHARE)));

/**
 * A fixed-window limit for hot paths that needs no database round trip per attempt. An instance
 * takes attempts from the shared counter (`rate_limit_counters`) in leases and spends them
 * locally. The shared counter only grants what is left under the limit, so the limit holds
 * across any number of instances; attempts leased but never spent make it stricter, by at most
 * one lease per instance. Leases start at one attempt and double while the window lasts, up to
 * 5 % of the limit, so a quiet address pays a round trip per attempt as before and a busy one a
 * round trip per lease. Refused attempts are not counted, as with `chargeAttempt`.
 */
export function createLeasedRateLimit(pool: HotPool, { maxKeys = 10_000 }: { maxKeys?: number } = {}) {
  const leases = new Map<string, Lease>();

  async function takeLease(lease: Lease, { key, rule }: Charge, size: number, now: Date): Promise<void> {
    const { rows } = await pool.run<{ count: number | string; window_ends_at: string | Date }>({
      name: 'lease-rate-limit',
      text: `insert into rate_limit_counters as c (key, count, window_ends_at)
        values ($1, $2, $3::timestamptz + make_interval(secs => $4::float8 / 1000))
        ${countInWindow('$3')}
        returning count, window_ends_at`,
      values: [key, size, now, rule.windowMs],
    });
    const counted = Number(rows[0]!.count);
    // The upsert always adds `size`: what was counted before tells how much of it is still free.
    const granted = Math.max(0, Math.min(size, rule.limit - (counted - size)));
    lease.remaining += granted;
    lease.windowEndsAt = timestampOf(rows[0]!.window_ends_at).getTime();
    lease.nextSize = Math.min(size * 2, maxLeaseSize(rule));
    lease.exhausted = granted < size;
  }

  function leaseFor(key: string, now: Date): Lease {
    const known = leases.get(key);
    // A closed window's unspent attempts lapse with it.
    if (known && (known.leasing || now.getTime() < known.windowEndsAt)) return known;
    if (leases.size >= maxKeys) forgetClosedWindows(now);
    const fresh: Lease = { remaining: 0, windowEndsAt: Number.POSITIVE_INFINITY, nextSize: 1, exhausted: false };
    leases.set(key, fresh);
    return fresh;
  }

  function forgetClosedWindows(now: Date): void {
    for (const [key, lease] of leases) if (!lease.leasing && now.getTime() >= lease.windowEndsAt) leases.delete(key);
    // Still full: drop the oldest. Forgetting a lease only gives up its unspent attempts.
    for (const [key, lease] of leases) {
      if (leases.size < maxKeys) break;
      if (!lease.leasing) leases.delete(key);
    }
  }

  /** Counts one attempt for `charge.key`; refused once the key's window has no attempt left. */
  return async function chargeLeased(charge: Charge, now: Date): Promise<Verdict> {
    for (;;) {
      const lease = leaseFor(charge.key, now);
      if (lease.remaining > 0) {
        lease.remaining -= 1;
        return { allowed: true };
      }
      if (lease.exhausted) return { allowed: false, retryAfterSeconds: secondsUntil(new Date(lease.windowEndsAt), now) };
      // One lease in flight per key: the attempts that arrive meanwhile wait for it and share it.
      lease.leasing ??= takeLease(lease, charge, lease.nextSize, now).finally(() => {
        lease.leasing = undefined;
      });
      await lease.leasing;
    }
  };
}

export type LeasedRateLimit = ReturnType<typeof createLeasedRateLimit>;
