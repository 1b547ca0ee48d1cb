import type { MikroORM } from '@mikro-orm/postgresql';

/** Applies every pending committed migration (`MikroORM.init` has already created a missing database). */
export async function migrateDatabase(orm: MikroORM): Promise<void> {
  await orm.em.fork().transactional(async (em) => {
    // Instances starting together take turns, so each migration runs exactly once.
    await em.execute(`select pg_advisory_xact_lock(hashtext('graphql-auth:migrations'))`);
    await orm.migrator.up({ transaction: em.getTransactionContext() });
  });
}
