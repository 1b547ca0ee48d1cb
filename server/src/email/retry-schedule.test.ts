import { describe, expect, it } from 'vitest';
import { afterFailure, DEFAULT_RETRY_POLICY } from './retry-schedule.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('the retry schedule', () => {
  const firstAttemptAt = new Date('2026-12-05T08:00:00Z');
  const waitAfter = (attempts: number, sinceFirst = 0) => {
    const now = new Date(firstAttemptAt.getTime() + sinceFirst);
    const decision = afterFailure(DEFAULT_RETRY_POLICY, { attempts, firstAttemptAt, now });
    return decision.giveUp ? 'give up' : decision.nextAttemptAt.getTime() - now.getTime();
  };

  it('waits 15 s after the first failure and doubles up to 10 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((attempts) => waitAfter(attempts))).toEqual([15, 30, 60, 120, 240, 480, 600, 600].map((s) => s * SECOND));
    expect(waitAfter(10_000)).toBe(10 * MINUTE);
  });

  it('gives up only on a failure 24 hours or more after the first attempt, however few attempts there were', () => {
    expect(waitAfter(150, 24 * HOUR - 1)).toBe(10 * MINUTE);
    expect(waitAfter(2, 24 * HOUR)).toBe('give up');
    expect(waitAfter(1, 3 * 24 * HOUR)).toBe('give up');
  });
});
