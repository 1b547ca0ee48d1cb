import type { MikroORM } from '@mikro-orm/postgresql';

/** Creates the database when missing, then applies every pending committed migration. */
export async function migrateDatabase(orm: MikroORM): Promise<void> {
  await orm.schema.ensureDatabase();
  await orm.migrator.up();
}
