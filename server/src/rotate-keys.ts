import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './database/open-database.ts';
import { KeyEncryptionError, rotateSigningKeys } from './auth/signing-keys.ts';
import { withKeyEncryptionSecret } from './auth/key-encryption-secret.ts';
import { secretEnvelopeOf } from './auth/secret-envelope.ts';

try {
  const config = await withKeyEncryptionSecret(loadConfig());
  if (config.jwtPrivateKeys) {
    throw new ConfigError('JWT_PRIVATE_KEYS is set: rotate by putting the new key first in that JWK set and keeping the old one until its tokens expire.');
  }
  const database = await openDatabase(config);
  const envelope = secretEnvelopeOf(config);
  if (!envelope) throw new ConfigError('KEY_ENCRYPTION_SECRET: required to store a new signing key');
  const { kid, retired } = await rotateSigningKeys(database.orm.em.fork(), envelope, new Date());
  console.log(`New signing key ${kid} is current; retired ${retired.join(', ') || 'none'} (still verifying access tokens for ${config.accessTokenTtlMs / 1000} s, device tokens for 180 days).`);
  await database.close();
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof KeyEncryptionError ? error.message : `Key rotation failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
