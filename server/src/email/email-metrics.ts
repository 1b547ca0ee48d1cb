import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logger.ts';
import { EMAIL_KIND } from './outbox.ts';

/** What an operator watches of email: what went out, what failed, what was dropped, what waits. */
export interface EmailMetrics {
  sent: Counter<'kind'>;
  failedAttempts: Counter<'kind'>;
  givenUp: Counter<'kind'>;
}

// A scrape must not hang on a database that does not answer.
const PENDING_READ_TIMEOUT_MS = 2000;

/**
 * Registered on the app's own registry. The kind label takes the kinds the code queues (slugs
 * checked by `queueEmail`), so it stays bounded. `email_outbox_pending` is read from the table on
 * each scrape: it counts every instance's mail, not only this one's.
 */
export function createEmailMetrics(registry: Registry, { countPending, logger }: { countPending: () => Promise<number>; logger: Logger }): EmailMetrics {
  const counter = (name: string, help: string) => new Counter<'kind'>({ name, help, labelNames: ['kind'], registers: [registry] });
  new Gauge({
    name: 'email_outbox_pending',
    help: 'Emails in the outbox not yet sent and not given up (all instances).',
    registers: [registry],
    async collect() {
      try {
        this.set(await withTimeout(countPending(), PENDING_READ_TIMEOUT_MS));
      } catch (error) {
        // The last value stays; the database's state shows in /readyz.
        logger.debug({ err: error instanceof Error ? error.name : typeof error }, 'could not count pending emails');
      }
    },
  });
  return {
    sent: counter('email_sent_total', 'Emails accepted by the relay (or kept for /dev/mail), by kind.'),
    failedAttempts: counter('email_delivery_failures_total', 'Delivery attempts that failed and will be retried or given up, by kind.'),
    givenUp: counter('email_given_up_total', 'Emails no longer retried after failing for the give-up time, by kind.'),
  };
}

/** The label of a kind: itself when it is a slug `queueEmail` would accept, else `other`. */
export const kindLabel = (kind: string) => (EMAIL_KIND.test(kind) ? kind : 'other');

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
