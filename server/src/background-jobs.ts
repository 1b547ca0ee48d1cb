import type { AppDependencies } from './context.ts';
import { listenForNotifications } from './database/notifications.ts';
import { deleteExpiredRecords } from './maintenance/cleanup.ts';
import { REVOCATION_CHANNEL } from './auth/session-store.ts';
import { SIGNING_KEYS_CHANNEL } from './auth/signing-keys.ts';
import { PROFILE_CHANNEL } from './user/profile-cache.ts';

export interface BackgroundJobs {
  stop(): Promise<void>;
}

/**
 * What each instance keeps doing besides answering requests: hearing revocations and key rotations
 * from other instances at once (LISTEN/NOTIFY), catching up on any it missed, and deleting
 * expired records.
 */
export async function startBackgroundJobs({
  orm,
  config,
  revocations,
  signingKeys,
  logger,
  now,
  profiles,
}: Pick<AppDependencies, 'orm' | 'config' | 'revocations' | 'signingKeys' | 'logger' | 'now' | 'profiles'>): Promise<BackgroundJobs> {
  const catchUp = async () => {
    await revocations.load(orm.em.fork(), now());
    await signingKeys.reload(now());
  };
  const listener = await listenForNotifications({
    // LISTEN holds its connection: through a transaction pooler it would hear nothing.
    connectionString: config.databaseDirectUrl ?? orm.config.get('clientUrl')!,
    channels: {
      [REVOCATION_CHANNEL]: (sessionId) => revocations.add([sessionId], now()),
      [PROFILE_CHANNEL]: (userId) => profiles.forget(userId),
      [SIGNING_KEYS_CHANNEL]: () => void signingKeys.reload(now()).catch((error) => logger.error({ err: error }, 'reloading signing keys failed')),
    },
    // Changes announced while the connection was down went unheard: start the profile copies afresh.
    onReconnect: async () => {
      profiles.clear();
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
        if (deleted.sessions + deleted.rateLimitCounters + deleted.emailTokens > 0) logger.info(deleted, 'deleted expired records');
      },
      'cleanup',
    ),
  ];

  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await listener.stop();
    },
  };
}
