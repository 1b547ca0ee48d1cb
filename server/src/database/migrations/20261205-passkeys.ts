import { Migration } from '@mikro-orm/migrations';

/** Passkeys: the credentials (public keys only), the ceremonies begun, and each account's WebAuthn user handle. */
export class Passkeys extends Migration {
  override up(): void {
    this.addSql(`create table "passkeys" (
      "id" uuid not null, "user_id" uuid not null, "credential_id" bytea not null, "public_key" bytea not null, "sign_count" bigint not null,
      "transports" text[] not null, "backup_eligible" boolean not null, "backed_up" boolean not null, "name" varchar(64) not null,
      "created_at" timestamptz not null, "last_used_at" timestamptz null, primary key ("id"));`);
    this.addSql('create index "passkeys_user_id_index" on "passkeys" ("user_id");');
    this.addSql('alter table "passkeys" add constraint "passkeys_credential_id_unique" unique ("credential_id");');
    this.addSql('alter table "passkeys" add constraint "passkeys_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;');
    this.addSql(`create table "webauthn_challenges" (
      "challenge_hash" bytea not null, "purpose" varchar(16) not null, "user_id" uuid null, "expires_at" timestamptz not null,
      primary key ("challenge_hash"));`);
    this.addSql('create index "webauthn_challenges_user_id_index" on "webauthn_challenges" ("user_id");');
    this.addSql('create index "webauthn_challenges_expires_at_index" on "webauthn_challenges" ("expires_at");');
    this.addSql('alter table "webauthn_challenges" add constraint "webauthn_challenges_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;');
    this.addSql('create table "webauthn_user_handles" ("user_id" uuid not null, "handle" bytea not null, primary key ("user_id"));');
    this.addSql('alter table "webauthn_user_handles" add constraint "webauthn_user_handles_handle_unique" unique ("handle");');
    this.addSql('alter table "webauthn_user_handles" add constraint "webauthn_user_handles_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;');
  }

  override down(): void {
    this.addSql('drop table if exists "webauthn_user_handles";');
    this.addSql('drop table if exists "webauthn_challenges";');
    this.addSql('drop table if exists "passkeys";');
  }
}
