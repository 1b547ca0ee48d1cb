import { fileURLToPath } from 'node:url';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.ts';
import { ormConfig } from '../mikro-orm.config.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';
import { migrateDatabase } from './migrate.ts';

export const EMBEDDED_DATA_DIR = fileURLToPath(new URL('../../../.data/postgres', import.meta.url));

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
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: EMBEDDED_DATA_DIR, port: config.embeddedPostgresPort, persistent: true });
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
