import { fileURLToPath } from 'node:url';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.ts';
import { ormConfig } from './mikro-orm.config.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';
import { migrateDatabase } from './migrate.ts';
import { isDatabaseUnavailable } from './unavailable.ts';

const EMBEDDED_DATA_DIR = fileURLToPath(new URL('../../../.data/postgres', import.meta.url));

export interface OpenDatabase {
  orm: MikroORM;
  /** Set when the server runs its own PostgreSQL. */
  embedded: EmbeddedPostgres | undefined;
  close(): Promise<void>;
}

/**
 * Connects to `DATABASE_URL`, or starts the embedded PostgreSQL in `.data/postgres` when it is unset,
 * and brings the schema up to date.
 */
export async function openDatabase(config: Config, log?: (message: string) => void): Promise<OpenDatabase> {
  const dataDir = config.embeddedPostgresDir ?? EMBEDDED_DATA_DIR;
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir, port: config.embeddedPostgresPort, persistent: true });
  if (embedded?.ownerPid !== undefined) {
    log?.(`using the embedded PostgreSQL in ${dataDir} on 127.0.0.1:${embedded.port}, which process ${embedded.ownerPid} runs (it stops the cluster when it exits)`);
  } else if (embedded) {
    log?.(`embedded PostgreSQL started in ${dataDir} on 127.0.0.1:${embedded.port}`);
  }
  let orm: MikroORM | undefined;
  try {
    orm = await MikroORM.init(ormConfig(config.databaseUrl ?? embedded!.url('auth'), log));
    if (config.databaseDirectUrl) await migrateThrough(config.databaseDirectUrl, log);
    else await migrateDatabase(orm);
    const connected = orm;
    return {
      orm: connected,
      embedded,
      async close() {
        await connected.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await orm?.close().catch(() => {});
    await embedded?.stop();
    if (config.databaseUrl && cannotConnect(error)) throw connectionError(config.databaseUrl, error);
    throw error;
  }
}

/** Migrations run on a direct connection of their own when DATABASE_URL goes through a pooler. */
async function migrateThrough(directUrl: string, log?: (message: string) => void): Promise<void> {
  const direct = await MikroORM.init(ormConfig(directUrl, log));
  try {
    await migrateDatabase(direct);
  } finally {
    await direct.close();
  }
}

/** The database of DATABASE_URL cannot be reached or refuses us: the message names the variable and the host, never the password. */
export class DatabaseConnectionError extends Error {
  override name = 'DatabaseConnectionError';
}

// Wrong password or user, and a database that does not exist: no retry will help either.
const REFUSED_SQLSTATES = new Set(['28P01', '28000', '3D000']);

function cannotConnect(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return isDatabaseUnavailable(error) || (typeof code === 'string' && REFUSED_SQLSTATES.has(code));
}

function connectionError(databaseUrl: string, error: unknown): DatabaseConnectionError {
  let where = 'an address that does not parse';
  let password = '';
  try {
    const url = new URL(databaseUrl);
    password = decodeURIComponent(url.password);
    where = `${url.protocol}//${url.username ? `${decodeURIComponent(url.username)}@` : ''}${url.host}${url.pathname}`;
  } catch {
    // described as unparseable
  }
  const reason = (error instanceof Error ? error.message : String(error)) || 'no answer';
  const safeReason = password ? reason.replaceAll(password, '***') : reason;
  return new DatabaseConnectionError(
    `Cannot connect to the database of DATABASE_URL (${where}): ${safeReason}. ` +
      'Check that PostgreSQL runs there and accepts that user and database, or unset DATABASE_URL to use the embedded PostgreSQL.',
  );
}
