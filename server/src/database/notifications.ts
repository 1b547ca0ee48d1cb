import pg from 'pg';
import type { Logger } from '../logger.ts';

export interface NotificationListener {
  stop(): Promise<void>;
}

const RECONNECT_DELAY_MS = 1000;

/**
 * Keeps one connection LISTENing on the given PostgreSQL channels, reconnecting after a drop.
 * `onReconnect` runs after every reconnection, since notifications sent meanwhile are lost.
 */
export async function listenForNotifications({
  connectionString,
  channels,
  onReconnect,
  logger,
}: {
  connectionString: string;
  channels: Record<string, (payload: string) => void>;
  onReconnect: () => Promise<void>;
  logger: Logger;
}): Promise<NotificationListener> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    const next = new pg.Client({ connectionString, connectionTimeoutMillis: 2500 });
    next.on('notification', ({ channel, payload }) => {
      if (payload !== undefined) channels[channel]?.(payload);
    });
    next.on('error', (error) => logger.warn({ err: error }, 'notification connection failed'));
    next.on('end', () => {
      if (client === next) client = undefined;
      if (!stopped) scheduleReconnect();
    });
    await next.connect();
    for (const channel of Object.keys(channels)) await next.query(`listen "${channel}"`);
    client = next;
  };

  const scheduleReconnect = () => {
    if (retry || stopped) return;
    retry = setTimeout(async () => {
      retry = undefined;
      try {
        await connect();
        await onReconnect();
        logger.info('notification connection restored');
      } catch (error) {
        logger.warn({ err: error }, 'notification connection still down');
        scheduleReconnect();
      }
    }, RECONNECT_DELAY_MS);
    retry.unref();
  };

  await connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
