import { fileURLToPath } from 'node:url';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.ts';
import { ormConfig } from '../mikro-orm.config.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';
import { migrateDatabase } from './migrate.ts';

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
  try {
    const orm = await MikroORM.init(ormConfig(config.databaseUrl ?? embedded!.url('auth'), log));
    await migrateDatabase(orm);
    return {
      orm,
      embedded,
      async close() {
        await orm.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
