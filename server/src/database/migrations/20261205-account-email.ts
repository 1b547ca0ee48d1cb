import { Migration } from '@mikro-orm/migrations';

/** Email: whether an address is proven, the single-use tokens sent by email, and the outbox that sends them. */
export class AccountEmail extends Migration {
  override up(): void {
    // Accounts made before verification existed start unverified: nobody has proven those addresses yet.
    this.addSql('alter table "users" add "email_verified" boolean not null default false;');
    this.addSql(`create table "email_tokens" (
      "token_hash" bytea not null, "user_id" uuid not null, "purpose" varchar(20) not null, "new_email" varchar(254) null,
      "created_at" timestamptz not null, "expires_at" timestamptz not null, primary key ("token_hash"));`);
    this.addSql('create index "email_tokens_expires_at_index" on "email_tokens" ("expires_at");');
    this.addSql('create index "email_tokens_user_purpose_index" on "email_tokens" ("user_id", "purpose");');
    this.addSql('alter table "email_tokens" add constraint "email_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;');
    this.addSql(`create table "email_outbox" (
      "id" uuid not null, "user_id" uuid null, "kind" varchar(40) not null, "recipient" varchar(254) not null, "subject" varchar(200) not null,
      "body" bytea null, "body_sealed" boolean not null, "attempts" int not null, "next_attempt_at" timestamptz not null,
      "created_at" timestamptz not null, "first_attempt_at" timestamptz null, "sent_at" timestamptz null, "gave_up_at" timestamptz null,
      "last_error" varchar(300) null, primary key ("id"));`);
    this.addSql('create index "email_outbox_user_id_index" on "email_outbox" ("user_id");');
    this.addSql('create index "email_outbox_due_index" on "email_outbox" ("sent_at", "next_attempt_at");');
    this.addSql('alter table "email_outbox" add constraint "email_outbox_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;');
  }

  override down(): void {
    this.addSql('drop table if exists "email_outbox";');
    this.addSql('drop table if exists "email_tokens";');
    this.addSql('alter table "users" drop column "email_verified";');
  }
}
