import { timestampOf, type HotPool } from '../database/hot-statements.ts';

/** What the GraphQL `User` type shows; the entity has more (the password hash), and needs none of it here. */
export interface UserProfile {
  id: string;
  email: string;
  name: string;
  avatarUrl?: string | null;
  createdAt: Date;
}

/**
 * Reads a profile by primary key with one prepared statement straight on the pool: `me` is the hot
 * path, and the ORM's unit of work has nothing to track for a read-only lookup.
 */
export async function findUserProfile(pool: HotPool, id: string): Promise<UserProfile | undefined> {
  const { rows } = await pool.run<Omit<UserProfile, 'createdAt'> & { createdAt: string | Date }>({
    name: 'find-user-profile',
    text: 'select id, email, name, avatar_url as "avatarUrl", created_at as "createdAt" from users where id = $1',
    values: [id],
  });
  const row = rows[0];
  return row && { ...row, createdAt: timestampOf(row.createdAt) };
}
