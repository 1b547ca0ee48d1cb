/** How a failed delivery is retried. */
export interface RetryPolicy {
  /** The wait after the first failed attempt; each further failure doubles it. */
  firstDelayMs: number;
  /** The longest wait between two attempts. */
  maxDelayMs: number;
  /** Retrying stops after the first failure that comes this long after the first attempt. */
  giveUpAfterMs: number;
}

/**
 * 15 s doubling to 10 minutes, for a day: a relay outage of minutes delays mail by minutes, one
 * of up to a day loses nothing, and the ~150 attempts of a message that never goes out are no load.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { firstDelayMs: 15_000, maxDelayMs: 10 * 60_000, giveUpAfterMs: 24 * 60 * 60_000 };

/**
 * What to do after a failed attempt: try again at a later time, or give up because the first
 * attempt was `giveUpAfterMs` ago. `attempts` counts the one that just failed.
 */
export function afterFailure(
  policy: RetryPolicy,
  { attempts, firstAttemptAt, now }: { attempts: number; firstAttemptAt: Date; now: Date },
): { giveUp: true } | { giveUp: false; nextAttemptAt: Date } {
  if (now.getTime() - firstAttemptAt.getTime() >= policy.giveUpAfterMs) return { giveUp: true };
  // 2^30 already exceeds any sensible cap; the exponent stops there so the number stays finite.
  const delay = Math.min(policy.firstDelayMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30), policy.maxDelayMs);
  return { giveUp: false, nextAttemptAt: new Date(now.getTime() + delay) };
}
