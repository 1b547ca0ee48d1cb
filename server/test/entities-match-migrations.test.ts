import { MikroORM } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '@graphql-auth/test-kit/test-database';
import { ormConfig } from '../src/database/mikro-orm.config.ts';
import { migrateDatabase } from '../src/database/migrate.ts';

describe('the entities and the migrations', () => {
  it('describe one schema: after every migration, the ORM finds nothing to change', async () => {
    const database = await createTestDatabase();
    const orm = await MikroORM.init(ormConfig(database.url));
    try {
      await migrateDatabase(orm);
      expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
    } finally {
      await orm.close();
      await database.drop();
    }
  });
});
