import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './database/open-database.ts';
import { rotateSigningKeys } from './auth/signing-keys.ts';

try {
  const config = loadConfig();
  if (config.jwtPrivateKeys) {
    throw new ConfigError('JWT_PRIVATE_KEYS is set: rotate by putting the new key first in that JWK set and keeping the old one until its tokens expire.');
  }
  const database = await openDatabase(config);
  const { kid, retired } = await rotateSigningKeys(database.orm.em.fork(), new Date());
  console.log(`New signing key ${kid} is current; retired ${retired.join(', ') || 'none'} (still verifying for ${config.accessTokenTtlMs / 1000} s).`);
  await database.close();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Key rotation failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
