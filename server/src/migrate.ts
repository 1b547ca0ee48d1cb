import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './database/open-database.ts';

try {
  const database = await openDatabase(loadConfig(), (message) => console.log(message));
  const applied = await database.orm.migrator.getExecuted();
  console.log(`Database is at migration ${applied.at(-1)?.name ?? '(none)'}`);
  await database.close();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
