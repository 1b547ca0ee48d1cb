import { Migration } from '@mikro-orm/migrations';

/** Foreign keys named as the ORM names them, so the entities and the database describe one schema. */
export class OrmConstraintNames extends Migration {
  override up(): void {
    this.addSql('alter table "sessions" rename constraint "sessions_user_id_fkey" to "sessions_user_id_foreign";');
    this.addSql('alter table "spent_refresh_tokens" rename constraint "spent_refresh_tokens_session_id_fkey" to "spent_refresh_tokens_session_id_foreign";');
  }

  override down(): void {
    this.addSql('alter table "sessions" rename constraint "sessions_user_id_foreign" to "sessions_user_id_fkey";');
    this.addSql('alter table "spent_refresh_tokens" rename constraint "spent_refresh_tokens_session_id_foreign" to "spent_refresh_tokens_session_id_fkey";');
  }
}
