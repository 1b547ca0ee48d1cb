import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { SecretEnvelope } from '../auth/secret-envelope.ts';
import { openEmailBody } from './outbox.ts';
import { createRelayTransport, describeRelay, describeRelayError, relayFailureOf } from './relay-transport.ts';
import { startMailWorker, type Delivery, type MailWorker, type MailWorkerOptions } from './mail-worker.ts';
import type { EmailMetrics } from './email-metrics.ts';

/**
 * `relay`: `SMTP_URL` is set, mail goes through it. `dev-mailbox`: outside production without a
 * relay, mail is kept and shown at `/dev/mail`. `hold`: production without a relay, mail waits in
 * the outbox until a server starts with `SMTP_URL`.
 */
export type DeliveryMode = 'relay' | 'dev-mailbox' | 'hold';

export function deliveryModeOf(config: Pick<Config, 'smtpUrl' | 'env'>): DeliveryMode {
  if (config.smtpUrl) return 'relay';
  return config.env === 'production' ? 'hold' : 'dev-mailbox';
}

/** The path of the development mailbox. */
export const DEV_MAILBOX_PATH = '/dev/mail';

class UnreadableBodyError extends Error {
  override name = 'UnreadableBodyError';
  code = 'EBODY';
}

/** Through the relay: the body is opened, sent, and erased once the relay has it. */
function relayDelivery(smtpUrl: string, config: Pick<Config, 'emailFrom'>, envelope: SecretEnvelope | undefined): Delivery & { close(): void } {
  const transport = createRelayTransport({ smtpUrl, from: config.emailFrom });
  return {
    async deliver(email, signal) {
      const body = email.body && openEmailBody({ id: email.id, body: email.body, bodySealed: email.bodySealed }, envelope);
      if (!body) throw new UnreadableBodyError('the body was sealed under another KEY_ENCRYPTION_SECRET (set KEY_ENCRYPTION_SECRET_PREVIOUS)');
      await transport.send({ id: email.id, to: email.recipient, subject: email.subject, body }, signal);
    },
    keepsBody: false,
    deliveredMessage: 'email sent',
    describeError: (error) => (error instanceof UnreadableBodyError ? `EBODY: ${error.message}` : describeRelayError(error, smtpUrl)),
    failureFields: (error) => ({ ...relayFailureOf(error) }),
    close: () => transport.close(),
  };
}

/** Into the development mailbox: nothing leaves the machine, the row keeps its body for `/dev/mail`. */
const devMailboxDelivery: Delivery = {
  deliver: async () => undefined,
  keepsBody: true,
  deliveredMessage: 'email kept for the development mailbox',
  describeError: () => 'the development mailbox cannot fail',
  failureFields: () => ({}),
};

/**
 * Starts this instance's mail worker for the configured mode and says, in one log line, where mail
 * goes. In `hold` mode no worker runs (mail stays pending) and the line is a warning.
 */
export function startMailDelivery({
  config,
  orm,
  logger,
  now,
  envelope,
  metrics,
  options,
}: {
  config: Config;
  orm: MikroORM;
  logger: Logger;
  now: () => Date;
  envelope: SecretEnvelope | undefined;
  metrics: EmailMetrics;
  options?: MailWorkerOptions;
}): MailWorker | undefined {
  const smtpUrl = config.smtpUrl;
  if (smtpUrl === undefined && config.env === 'production') {
    logger.warn('SMTP_URL is unset: emails wait in the outbox, unsent, until the server is started with SMTP_URL');
    return undefined;
  }
  if (smtpUrl === undefined) {
    logger.info(`emails are kept at ${config.publicOrigin}${DEV_MAILBOX_PATH} (set SMTP_URL to send them)`);
    return startMailWorker({ orm, logger, now, metrics, delivery: devMailboxDelivery, options });
  }
  const relay = relayDelivery(smtpUrl, config, envelope);
  logger.info(`emails are sent through ${describeRelay(smtpUrl)}`);
  const worker = startMailWorker({ orm, logger, now, metrics, delivery: relay, options });
  return {
    wake: worker.wake,
    async stop() {
      await worker.stop();
      relay.close();
    },
  };
}
