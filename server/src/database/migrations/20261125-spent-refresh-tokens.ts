import { Migration } from '@mikro-orm/migrations';

/** Hashes of rotated-away refresh tokens, so a replayed old token is told apart from a forged one. */
export class SpentRefreshTokens extends Migration {
  override up(): void {
    this.addSql(`create table "spent_refresh_tokens" (
      "token_hash" bytea not null primary key,
      "session_id" uuid not null references "sessions" ("id") on delete cascade
    );`);
    this.addSql(`create index "spent_refresh_tokens_session_id_index" on "spent_refresh_tokens" ("session_id");`);
  }

  override down(): void {
    this.addSql('drop table if exists "spent_refresh_tokens";');
  }
}
