import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.ts';
import { claimDueEmails, giveUp, markSent, scheduleRetry, type ClaimedEmail } from './outbox-store.ts';
import { afterFailure, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-schedule.ts';
import { kindLabel, type EmailMetrics } from './email-metrics.ts';

/** How the worker paces itself; tests shorten the waits. */
export interface MailWorkerOptions {
  /** How often the outbox is read for due retries (a queued email wakes the worker at once). */
  pollIntervalMs: number;
  /** Rows claimed at once; they are sent side by side. */
  batchSize: number;
  /** How long a claimed row is withheld from other workers; longer than `sendTimeoutMs`. */
  leaseMs: number;
  /** The longest one send may take, connecting included. */
  sendTimeoutMs: number;
  /** How long `stop()` lets sends under way finish before cancelling them. */
  stopGraceMs: number;
  retry: RetryPolicy;
}

export const DEFAULT_MAIL_WORKER_OPTIONS: MailWorkerOptions = {
  pollIntervalMs: 5000,
  batchSize: 10,
  leaseMs: 2 * 60_000,
  sendTimeoutMs: 60_000,
  stopGraceMs: 5000,
  retry: DEFAULT_RETRY_POLICY,
};

/** Options a caller may override (tests shorten the waits); the rest keep their defaults. */
export type MailWorkerOverrides = Partial<Omit<MailWorkerOptions, 'retry'>> & { retry?: Partial<RetryPolicy> };

export function mailWorkerOptions(overrides: MailWorkerOverrides = {}): MailWorkerOptions {
  return { ...DEFAULT_MAIL_WORKER_OPTIONS, ...overrides, retry: { ...DEFAULT_RETRY_POLICY, ...overrides.retry } };
}

/** One way of delivering a claimed row: through the relay, or into the development mailbox. */
export interface Delivery {
  /** Resolves once the message is delivered; rejects (for a retry) otherwise. */
  deliver(email: ClaimedEmail, signal: AbortSignal): Promise<void>;
  /** Whether the body stays after delivery (the development mailbox shows it) or is erased. */
  keepsBody: boolean;
  /** The log message of a delivery. */
  deliveredMessage: string;
  /** The `last_error` of a failed attempt: short, one line, nothing secret. */
  describeError(error: unknown): string;
  /** Fields of a failure fit for a log line (codes, never a message's content). */
  failureFields(error: unknown): Record<string, unknown>;
}

export interface MailWorker {
  /** Reads the outbox now (a notification said something was queued). */
  wake(): void;
  /** Stops polling, lets sends under way finish (bounded), and resolves when idle. */
  stop(): Promise<void>;
}

/**
 * Sends the outbox's due emails: claims a small batch (a short transaction that pushes the rows out
 * by a lease), sends outside any transaction, then records each outcome, sent or to be retried
 * with back-off. Every instance runs one; `FOR UPDATE SKIP LOCKED` keeps them off each other's rows.
 */
export function startMailWorker({
  orm,
  logger,
  now,
  metrics,
  delivery,
  options = DEFAULT_MAIL_WORKER_OPTIONS,
}: {
  orm: MikroORM;
  logger: Logger;
  now: () => Date;
  metrics: EmailMetrics;
  delivery: Delivery;
  options?: MailWorkerOptions;
}): MailWorker {
  if (options.leaseMs <= options.sendTimeoutMs) throw new Error('the mail worker needs leaseMs longer than sendTimeoutMs, or a slow send could be sent twice');
  let stopped = false;
  let again = false;
  let draining: Promise<void> | undefined;
  const cancel = new AbortController();

  const recordFailure = async (email: ClaimedEmail, error: unknown) => {
    const at = now();
    const lastError = delivery.describeError(error);
    const decision = afterFailure(options.retry, { attempts: email.attempts, firstAttemptAt: email.firstAttemptAt, now: at });
    const fields = { emailId: email.id, kind: email.kind, attempt: email.attempts, ...delivery.failureFields(error) };
    metrics.failedAttempts.inc({ kind: kindLabel(email.kind) });
    if (decision.giveUp) {
      await giveUp(orm.em.fork(), email.id, { error: lastError, now: at });
      metrics.givenUp.inc({ kind: kindLabel(email.kind) });
      logger.error(fields, 'email given up: delivery failed for the whole retry period');
    } else {
      await scheduleRetry(orm.em.fork(), email.id, { error: lastError, nextAttemptAt: decision.nextAttemptAt });
      logger.warn({ ...fields, retryInMs: decision.nextAttemptAt.getTime() - at.getTime() }, 'email delivery failed, will retry');
    }
  };

  const deliverOne = async (email: ClaimedEmail) => {
    try {
      try {
        await delivery.deliver(email, AbortSignal.any([cancel.signal, AbortSignal.timeout(options.sendTimeoutMs)]));
      } catch (error) {
        await recordFailure(email, error);
        return;
      }
      await markSent(orm.em.fork(), email.id, { now: now(), eraseBody: !delivery.keepsBody });
      metrics.sent.inc({ kind: kindLabel(email.kind) });
      logger.info({ emailId: email.id, kind: email.kind, attempt: email.attempts }, delivery.deliveredMessage);
    } catch (error) {
      // The outcome could not be written: the lease runs out and the row is tried again.
      logger.warn({ emailId: email.id, kind: email.kind, error: errorText(error) }, 'could not record an email delivery outcome');
    }
  };

  const drain = async () => {
    do {
      again = false;
      const at = now();
      const claimed = await claimDueEmails(orm.em.fork(), { now: at, leaseUntil: new Date(at.getTime() + options.leaseMs), limit: options.batchSize });
      await Promise.all(claimed.map(deliverOne));
      // A full batch: there may be more waiting.
      if (claimed.length === options.batchSize) again = true;
    } while (again && !stopped);
  };

  const wake = () => {
    if (stopped) return;
    if (draining) {
      again = true;
      return;
    }
    draining = drain()
      .catch((error) => logger.warn({ error: errorText(error) }, 'the mail worker could not read the outbox'))
      .finally(() => (draining = undefined));
  };

  const poll = setInterval(wake, options.pollIntervalMs);
  poll.unref();
  // Whatever was queued while no worker ran (a restart, an outage) goes out now.
  wake();

  return {
    wake,
    async stop() {
      stopped = true;
      clearInterval(poll);
      const grace = setTimeout(() => cancel.abort(new Error('the server is stopping')), options.stopGraceMs);
      await draining;
      clearTimeout(grace);
    },
  };
}

// The statements here carry ids, times and error summaries, never a body: the driver's message is safe to log.
const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : 'a value that is not an Error was thrown');
