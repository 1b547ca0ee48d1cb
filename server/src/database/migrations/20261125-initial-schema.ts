import { Migration } from '@mikro-orm/migrations';

export class InitialSchema extends Migration {
  override up(): void {
    this.addSql(`create table "users" (
      "id" uuid not null primary key,
      "email" varchar(254) not null constraint "users_email_unique" unique,
      "name" varchar(100) not null,
      "avatar_url" varchar(2048) null,
      "password_hash" varchar(100) not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null
    );`);
    this.addSql(`create table "sessions" (
      "id" uuid not null primary key,
      "user_id" uuid not null references "users" ("id") on delete cascade,
      "token_hash" bytea not null,
      "previous_token_hash" bytea null,
      "sealed_successor" bytea null,
      "rotated_at" timestamptz null,
      "created_at" timestamptz not null,
      "last_used_at" timestamptz not null,
      "idle_expires_at" timestamptz not null,
      "absolute_expires_at" timestamptz not null,
      "user_agent" varchar(512) null,
      "ip" varchar(64) null,
      "revoked_at" timestamptz null,
      "revoked_reason" varchar(32) null
    );`);
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);
    this.addSql(`create index "sessions_revoked_at_index" on "sessions" ("revoked_at");`);
    this.addSql(`create table "signing_keys" (
      "kid" varchar(64) not null primary key,
      "algorithm" varchar(16) not null,
      "private_jwk" jsonb not null,
      "created_at" timestamptz not null,
      "retired_at" timestamptz null
    );`);
  }

  override down(): void {
    this.addSql('drop table if exists "sessions";');
    this.addSql('drop table if exists "signing_keys";');
    this.addSql('drop table if exists "users";');
  }
}
