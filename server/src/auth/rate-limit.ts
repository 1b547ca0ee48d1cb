import type { EntityManager } from '@mikro-orm/postgresql';
import type { RateLimitRule } from '../config.ts';

/** One counter to charge: a key such as `login:ip:203.0.113.7` and the rule it is held to. */
export interface Charge {
  key: string;
  rule: RateLimitRule;
}

export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts one attempt against every key in a single atomic upsert, so parallel attempts cannot
 * slip past a check-then-write race. Windows are fixed: a counter restarts once its window ends.
 * A refused attempt is refunded: it did not happen, so it does not extend anyone's lock-out.
 */
export async function chargeAttempt(em: EntityManager, unordered: Charge[], now: Date): Promise<Verdict> {
  if (unordered.length === 0) return { allowed: true };
  // Rows are always locked in key order, so concurrent charges and refunds cannot deadlock.
  const charges = [...unordered].sort((a, b) => (a.key < b.key ? -1 : 1));
  const rows = await em.execute<{ key: string; count: number; window_ends_at: Date }[]>(
    `insert into rate_limit_counters as c (key, count, window_ends_at)
     select key, 1, ?::timestamptz + make_interval(secs => window_ms / 1000.0)
     from jsonb_to_recordset(?::jsonb) as t(key text, window_ms int8)
     ${countInWindow('?')}
     returning key, count, window_ends_at`,
    [now, JSON.stringify(charges.map((charge) => ({ key: charge.key, window_ms: charge.rule.windowMs }))), now, now],
  );
  const limits = new Map(charges.map((charge) => [charge.key, charge.rule.limit]));
  const exceeded = rows.filter((row) => row.count > (limits.get(row.key) ?? Number.POSITIVE_INFINITY));
  if (exceeded.length === 0) return { allowed: true };
  await refundAttempt(em, charges.map((charge) => charge.key));
  return { allowed: false, retryAfterSeconds: Math.max(...exceeded.map((row) => secondsUntil(new Date(row.window_ends_at), now))) };
}

/**
 * The fixed window's rule for an upsert into `rate_limit_counters as c` of `count` attempts: a
 * closed window restarts at them, an open one adds them. `now` is the statement's placeholder for
 * the current time (used twice).
 */
export function countInWindow(now: string): string {
  return `on conflict (key) do update set
       count = case when c.window_ends_at <= ${now} then excluded.count else c.count + excluded.count end,
       window_ends_at = case when c.window_ends_at <= ${now} then excluded.window_ends_at else c.window_ends_at end`;
}

/** The `retryAfter` of a refused attempt: whole seconds until its window closes, at least one. */
export function secondsUntil(windowEndsAt: Date, now: Date): number {
  return Math.max(1, Math.ceil((windowEndsAt.getTime() - now.getTime()) / 1000));
}

/** Takes back one attempt, e.g. a login that succeeded: only failures count against a limit. */
export async function refundAttempt(em: EntityManager, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await em.execute(
    `update rate_limit_counters set count = greatest(count - 1, 0)
     where key in (select key from rate_limit_counters where key in (?) order by key for update)`,
    [keys],
  );
}

/** Starts the counters afresh, e.g. the account+IP counter after a successful login. */
export async function resetCounters(em: EntityManager, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await em.execute('delete from rate_limit_counters where key in (select key from rate_limit_counters where key in (?) order by key for update)', [keys]);
}

/** Deletes counters whose window has closed; they would restart at 1 anyway. */
export async function deleteClosedWindows(em: EntityManager, now: Date): Promise<number> {
  const deleted = await em.execute<{ key: string }[]>('delete from rate_limit_counters where window_ends_at <= ? returning key', [now]);
  return deleted.length;
}
