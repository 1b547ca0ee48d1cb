import { fileURLToPath } from 'node:url';
import { createApp } from './app.ts';
import { createHttpServer } from './http/http-server.ts';
import { releaseMemoryWhenIdle } from './http/idle-memory-release.ts';
import { ConfigError, loadConfig } from './config.ts';
import { withKeyEncryptionSecret } from './auth/key-encryption-secret.ts';
import { KeyEncryptionError } from './auth/signing-keys.ts';
import { EmbeddedPostgresError } from './database/embedded-postgres.ts';
import { openDatabase } from './database/open-database.ts';
import { createLogger } from './logger.ts';
import { logDestination } from './log-destination.ts';

const SHUTDOWN_GRACE_MS = 10_000;

class ListenError extends Error {}
const WEB_APP_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

async function start() {
  const config = await withKeyEncryptionSecret(loadConfig());
  const logger = createLogger(config.logLevel, await logDestination(config.env));
  const database = await openDatabase(config, (message) => logger.info(message.replace(/\x1b\[[0-9;]*m/g, '')));
  const yoga = await createApp({ config, orm: database.orm, logger, webAppDir: WEB_APP_DIR });
  const server = createHttpServer(yoga, config);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  }).catch(async (error: NodeJS.ErrnoException) => {
    // The database (maybe our own cluster) is up by now: take it down before giving up.
    await yoga.dispose();
    await database.close();
    throw new ListenError(`The server cannot listen on ${config.host}:${config.port} (${error.code ?? error.message}); set PORT or HOST.`);
  });
  logger.info(`Serving http://${config.host}:${config.port}/graphql (public origin ${config.publicOrigin})`);
  // Production runs node with --expose-gc (production-runtime.ts); elsewhere there is nothing to call.
  const memoryRelease = globalThis.gc ? releaseMemoryWhenIdle(server, logger, { gc: globalThis.gc }) : undefined;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    memoryRelease?.stop();
    logger.info({ signal }, 'shutting down');
    // Stop accepting, let in-flight requests finish (bounded), then close the pool and the embedded cluster.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    await closed;
    clearTimeout(deadline);
    await yoga.dispose();
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));
}

try {
  await start();
} catch (error) {
  const known = error instanceof ConfigError || error instanceof EmbeddedPostgresError || error instanceof ListenError || error instanceof KeyEncryptionError;
  console.error(known ? error.message : `The server could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
