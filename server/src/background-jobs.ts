import type { AppDependencies } from './context.ts';
import { listenForNotifications } from './database/notifications.ts';
import { deleteExpiredRecords } from './maintenance/cleanup.ts';
import { REVOCATION_CHANNEL } from './auth/session-store.ts';
import { SIGNING_KEYS_CHANNEL } from './auth/signing-keys.ts';
import { PROFILE_CHANNEL } from './user/profile-cache.ts';
import { OUTBOX_CHANNEL } from './email/outbox.ts';
import { startMailDelivery } from './email/mail-delivery.ts';
import type { EmailMetrics } from './email/email-metrics.ts';
import type { MailWorkerOptions } from './email/mail-worker.ts';

export interface BackgroundJobs {
  stop(): Promise<void>;
}

/**
 * What each instance keeps doing besides answering requests: hearing revocations and key rotations
 * from other instances at once (LISTEN/NOTIFY), catching up on any it missed, sending the
 * outbox's emails, and deleting expired records.
 */
export async function startBackgroundJobs({
  orm,
  config,
  revocations,
  signingKeys,
  logger,
  now,
  profiles,
  envelope,
  emailMetrics,
  mailWorker,
}: Pick<AppDependencies, 'orm' | 'config' | 'revocations' | 'signingKeys' | 'logger' | 'now' | 'profiles' | 'envelope'> & {
  emailMetrics: EmailMetrics;
  mailWorker: MailWorkerOptions;
}): Promise<BackgroundJobs> {
  const catchUp = async () => {
    await revocations.load(orm.em.fork(), now());
    await signingKeys.reload(now());
  };
  const mail = startMailDelivery({ config, orm, logger, now, envelope, metrics: emailMetrics, options: mailWorker });
  const listener = await listenForNotifications({
    // LISTEN holds its connection: through a transaction pooler it would hear nothing.
    connectionString: config.databaseDirectUrl ?? orm.config.get('clientUrl')!,
    channels: {
      [REVOCATION_CHANNEL]: (sessionId) => revocations.add([sessionId], now()),
      [PROFILE_CHANNEL]: (userId) => profiles.forget(userId),
      [SIGNING_KEYS_CHANNEL]: () => void signingKeys.reload(now()).catch((error) => logger.error({ err: error }, 'reloading signing keys failed')),
      [OUTBOX_CHANNEL]: () => mail?.wake(),
    },
    // Changes announced while the connection was down went unheard: start the profile copies afresh.
    onReconnect: async () => {
      profiles.clear();
      mail?.wake();
      await catchUp();
    },
    logger,
  });

  const every = (ms: number, job: () => Promise<unknown>, what: string) => {
    const timer = setInterval(() => void job().catch((error) => logger.warn({ err: error }, `${what} failed`)), ms);
    timer.unref();
    return timer;
  };
  const timers = [
    // Notifications are the fast path; this bounds the damage of one lost while the connection blinked.
    every(config.revocationCatchUpMs, catchUp, 'revocation catch-up'),
    every(
      config.cleanupIntervalMs,
      async () => {
        const deleted = await deleteExpiredRecords(orm.em.fork(), { now: now(), accessTokenTtlMs: config.accessTokenTtlMs });
        if (Object.values(deleted).some((count) => count > 0)) logger.info(deleted, 'deleted expired records');
      },
      'cleanup',
    ),
  ];

  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await listener.stop();
      await mail?.stop();
    },
  };
}
