import { Migration } from '@mikro-orm/migrations';

/** Fixed-window attempt counters shared by every instance (failed logins, sign-ups, refreshes). */
export class RateLimitCounters extends Migration {
  override up(): void {
    this.addSql(`create table "rate_limit_counters" (
      "key" varchar(160) not null primary key,
      "count" integer not null,
      "window_ends_at" timestamptz not null
    );`);
    this.addSql(`create index "rate_limit_counters_window_ends_at_index" on "rate_limit_counters" ("window_ends_at");`);
    this.addSql(`create index "sessions_expiry_index" on "sessions" ("idle_expires_at", "absolute_expires_at");`);
  }

  override down(): void {
    this.addSql('drop index if exists "sessions_expiry_index";');
    this.addSql('drop table if exists "rate_limit_counters";');
  }
}
