import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Plugin } from 'graphql-yoga';
import { createApp, type App } from '../../server/src/app.ts';
import { loadConfig, type Config } from '../../server/src/config.ts';
import { migrateDatabase } from '../../server/src/database/migrate.ts';
import { createLogger } from '../../server/src/logger.ts';
import { ormConfig } from '../../server/src/database/mikro-orm.config.ts';
import { createTestClock, type TestClock } from './clock.ts';
import { listenOnFreePort } from './http-listener.ts';
import { createTestDatabase } from './test-database.ts';
import type { MailWorkerOverrides } from '../../server/src/email/mail-worker.ts';

export type { Config };

export interface TestApp {
  app: App;
  orm: MikroORM;
  config: Config;
  clock: TestClock;
  /** Every log line the app wrote, as JSON text. */
  logs: string[];
  databaseUrl: string;
  /** Another instance of the service on the same database and clock, as a second server would be. */
  createPeer(env?: Record<string, string>): Promise<TestApp>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Rewrites the database URL, e.g. to go through a proxy the test can cut. */
  connectVia?: (databaseUrl: string) => string;
  /** Rewrites it to go through a transaction pooler; the original becomes DATABASE_DIRECT_URL. */
  pooledVia?: (databaseUrl: string) => string;
  /** The server's clock; one that stands still until moved, by default. */
  clock?: TestClock;
  /** Yoga plugins after the app's own, e.g. a request recorder. */
  plugins?: Plugin[];
  /** The built web app to serve at `/`. */
  webAppDir?: string;
  /** The mail worker's pace, e.g. a short back-off; peers get the same. */
  mailWorker?: MailWorkerOverrides;
}

/** The real app on a fresh, migrated database of its own; `env` overrides the test defaults. */
export async function createTestApp(
  env: Record<string, string> = {},
  { connectVia, pooledVia, clock = createTestClock(), plugins, webAppDir, mailWorker }: TestAppOptions = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  // One secret per database, as every instance of a deployment shares one.
  const keyEncryptionSecret = randomBytes(32).toString('base64url');
  const url = pooledVia ? pooledVia(database.url) : connectVia ? connectVia(database.url) : database.url;
  const directUrl = pooledVia ? database.url : undefined;
  const instance = await startInstance(url, env, clock, { plugins, webAppDir, keyEncryptionSecret, directUrl, mailWorker });
  return {
    ...instance,
    async close() {
      await instance.close();
      await database.drop();
    },
  };
}

async function startInstance(
  databaseUrl: string,
  env: Record<string, string>,
  clock: TestClock,
  { plugins, webAppDir, keyEncryptionSecret, directUrl, mailWorker }: Pick<TestAppOptions, 'plugins' | 'webAppDir' | 'mailWorker'> & { keyEncryptionSecret: string; directUrl?: string },
): Promise<TestApp> {
  // Most suites sign up and refresh far more often than a person; the limits have a suite of their own.
  const config = loadConfig({
    NODE_ENV: 'test',
    BCRYPT_COST: '4',
    LOG_LEVEL: 'info',
    SIGNUP_LIMIT_IP: 'off',
    REFRESH_LIMIT_IP: 'off',
    KEY_ENCRYPTION_SECRET: keyEncryptionSecret,
    ...env,
    DATABASE_URL: databaseUrl,
    ...(directUrl ? { DATABASE_DIRECT_URL: directUrl } : {}),
  });
  // Migrations take the direct connection, as the server does behind a pooler.
  const migrator = await MikroORM.init(ormConfig(directUrl ?? databaseUrl));
  await migrateDatabase(migrator);
  const orm = directUrl ? await MikroORM.init(ormConfig(databaseUrl)) : migrator;
  if (directUrl) await migrator.close();
  const logs: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => void logs.push(line) });
  const app = await createApp({ config, orm, logger, now: clock.now, plugins, webAppDir, mailWorker });
  return {
    app,
    orm,
    config,
    clock,
    logs,
    databaseUrl,
    createPeer: (peerEnv = env) => startInstance(databaseUrl, peerEnv, clock, { keyEncryptionSecret, directUrl, mailWorker }),
    async close() {
      await app.dispose();
      await orm.close();
    },
  };
}

export interface ServedTestApp extends TestApp {
  /** `http://127.0.0.1:<port>`, where the app listens. */
  origin: string;
  port: number;
}

/**
 * The test app (see {@link createTestApp}) behind a real socket on a free port of 127.0.0.1, for
 * what only a socket has (the peer address, timeouts, real clients); `close` stops both. `env`
 * may depend on the origin, e.g. to make it the PUBLIC_ORIGIN.
 */
export async function serveTestApp(
  env: Record<string, string> | ((listening: { origin: string; port: number }) => Record<string, string>) = {},
  options: TestAppOptions = {},
): Promise<ServedTestApp> {
  const listening = await listenOnFreePort();
  const t = await createTestApp(typeof env === 'function' ? env(listening) : env, options).catch(async (error: unknown) => {
    await listening.close();
    throw error;
  });
  listening.server.on('request', t.app);
  return {
    ...t,
    origin: listening.origin,
    port: listening.port,
    async close() {
      await listening.close();
      await t.close();
    },
  };
}
