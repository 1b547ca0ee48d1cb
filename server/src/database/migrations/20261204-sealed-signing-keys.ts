import { Migration } from '@mikro-orm/migrations';

/**
 * Signing keys are kept encrypted. The migration cannot encrypt (the secret lives only in the
 * server's environment), so it makes room: the server seals plaintext keys and empties
 * `private_jwk` at its next start, under the signing-key lock.
 */
export class SealedSigningKeys extends Migration {
  override up(): void {
    this.addSql('alter table "signing_keys" add column "sealed_private_jwk" bytea null;');
    this.addSql('alter table "signing_keys" alter column "private_jwk" drop not null;');
  }

  override down(): void {
    this.addSql('alter table "signing_keys" drop column "sealed_private_jwk";');
  }
}
