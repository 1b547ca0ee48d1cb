import { timestampOf, type HotPool } from '../database/hot-statements.ts';

/** What the GraphQL `User` type shows; the entity has more (the password hash), and needs none of it here. */
export interface UserProfile {
  id: string;
  email: string;
  name: string;
  avatarUrl?: string | null;
  /** Whether the owner proved `email` by following a link sent there. */
  emailVerified: boolean;
  createdAt: Date;
}

/** The `users` columns of a profile, for a `select` or `returning` list read back with `profileOfRow`. */
export const PROFILE_COLUMNS = 'id, email, name, avatar_url as "avatarUrl", email_verified as "emailVerified", created_at as "createdAt"';

/** A row of `PROFILE_COLUMNS` as the driver hands it over. */
export type ProfileRow = Omit<UserProfile, 'createdAt'> & { createdAt: string | Date };

export function profileOfRow(row: ProfileRow): UserProfile {
  return { ...row, createdAt: timestampOf(row.createdAt) };
}

/**
 * Reads a profile by primary key with one prepared statement straight on the pool: `me` is the hot
 * path, and the ORM's unit of work has nothing to track for a read-only lookup.
 */
export async function findUserProfile(pool: HotPool, id: string): Promise<UserProfile | undefined> {
  const { rows } = await pool.run<ProfileRow>({
    name: 'find-user-profile',
    text: `select ${PROFILE_COLUMNS} from users where id = $1`,
    values: [id],
  });
  const row = rows[0];
  return row && profileOfRow(row);
}
