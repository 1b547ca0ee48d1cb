import { Migration } from '@mikro-orm/migrations';

/** Second factors: the authenticator app's sealed secret, recovery codes, logins waiting for a code, and how each session logged in. */
export class SecondFactors extends Migration {
  override up(): void {
    this.addSql(`create table "totp_credentials" (
      "user_id" uuid not null, "sealed_secret" bytea not null, "created_at" timestamptz not null, "enabled_at" timestamptz null,
      "last_used_step" bigint null, primary key ("user_id"));`);
    this.addSql('alter table "totp_credentials" add constraint "totp_credentials_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;');
    this.addSql('create table "recovery_codes" ("code_hash" bytea not null, "user_id" uuid not null, "created_at" timestamptz not null, primary key ("code_hash"));');
    this.addSql('create index "recovery_codes_user_id_index" on "recovery_codes" ("user_id");');
    this.addSql('alter table "recovery_codes" add constraint "recovery_codes_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;');
    this.addSql(`create table "login_challenges" (
      "token_hash" bytea not null, "user_id" uuid not null, "amr" text[] not null, "created_at" timestamptz not null,
      "expires_at" timestamptz not null, "tries_left" int not null, primary key ("token_hash"));`);
    this.addSql('create index "login_challenges_user_id_index" on "login_challenges" ("user_id");');
    this.addSql('create index "login_challenges_expires_at_index" on "login_challenges" ("expires_at");');
    this.addSql('alter table "login_challenges" add constraint "login_challenges_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;');
    // Sessions that exist already were all started with a password, when they were created.
    this.addSql(`alter table "sessions" add "amr" text[] not null default '{pwd}', add "auth_time" timestamptz null, add "second_factor_at" timestamptz null;`);
    this.addSql('update "sessions" set "auth_time" = "created_at";');
    this.addSql('alter table "sessions" alter column "amr" drop default, alter column "auth_time" set not null;');
  }

  override down(): void {
    this.addSql('alter table "sessions" drop column "amr", drop column "auth_time", drop column "second_factor_at";');
    this.addSql('drop table if exists "login_challenges";');
    this.addSql('drop table if exists "recovery_codes";');
    this.addSql('drop table if exists "totp_credentials";');
  }
}
