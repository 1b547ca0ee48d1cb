import { Migration } from '@mikro-orm/migrations';

// A frozen copy of the normalisation at the time of this migration: later changes to the live rule must not rewrite history.
const normalized = (email: string) => email.normalize('NFKC').trim().toLowerCase().normalize('NFC');

/**
 * Brings stored emails into the normalised form (NFKC, lower case) that sign-up and login now use.
 * Two accounts that turn out to be one address cannot be merged by a machine: the migration then
 * stops, names them, and changes nothing.
 */
export class NormalizedEmails extends Migration {
  override async up(): Promise<void> {
    const rows = (await this.execute('select id, email from users order by created_at')) as { id: string; email: string }[];
    const owners = new Map<string, string[]>();
    for (const row of rows) owners.set(normalized(row.email), [...(owners.get(normalized(row.email)) ?? []), row.id]);
    const collisions = [...owners.values()].filter((ids) => ids.length > 1);
    if (collisions.length > 0) {
      throw new Error(
        `Cannot normalise stored emails: ${collisions.length} address(es) belong to more than one account once normalised ` +
          `(user ids ${collisions.map((ids) => ids.join(' = ')).join('; ')}). Change or delete all but one account of each, then start again.`,
      );
    }
    for (const row of rows) {
      if (normalized(row.email) !== row.email) await this.execute('update users set email = ? where id = ?', [normalized(row.email), row.id]);
    }
  }
}
