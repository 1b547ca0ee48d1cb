import type { EntityManager } from '@mikro-orm/postgresql';
import type { HotPool } from '../database/hot-statements.ts';
import { findUserProfile, type UserProfile } from './user-profile.ts';

/** The PostgreSQL channel on which every change to a user's profile row is announced to all instances. */
export const PROFILE_CHANNEL = 'user_profile_changed';

export interface ProfileCache {
  /** The profile, from memory when it is there and fresh, else read (and kept). */
  read(pool: HotPool, userId: string, now: Date): Promise<UserProfile | undefined>;
  /** Drops one user's profile: it changed here or on another instance. */
  forget(userId: string): void;
  /** Drops every profile: notifications may have been missed (the LISTEN connection was lost). */
  clear(): void;
}

/**
 * The profiles `me` answers with, kept per instance: `me` is the hottest query and a profile
 * changes rarely. Every change announces itself (`announceProfileChange`), so each instance drops
 * its copy within a second; entries also expire after `maxAgeMs`, which bounds what a lost
 * notification could leave stale.
 */
export function createProfileCache({ maxEntries = 10_000, maxAgeMs = 60_000 }: { maxEntries?: number; maxAgeMs?: number } = {}): ProfileCache {
  const entries = new Map<string, { profile: UserProfile; readAt: number }>();
  // Counts drops: a read that began before one may hold the old row and must not be kept.
  let drops = 0;
  return {
    async read(pool, userId, now) {
      const kept = entries.get(userId);
      if (kept && now.getTime() - kept.readAt < maxAgeMs) return kept.profile;
      const dropsBefore = drops;
      const profile = await findUserProfile(pool, userId);
      if (!profile) {
        entries.delete(userId);
        return undefined;
      }
      if (drops !== dropsBefore) return profile;
      // Oldest first out: a Map iterates in insertion order.
      if (!kept && entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(userId, { profile, readAt: now.getTime() });
      return profile;
    },
    forget(userId) {
      drops += 1;
      entries.delete(userId);
    },
    clear() {
      drops += 1;
      entries.clear();
    },
  };
}

/** Announces that a user's profile row changed; sent when the surrounding transaction commits. */
export async function announceProfileChange(em: EntityManager, userId: string): Promise<void> {
  await em.execute(`select pg_notify('${PROFILE_CHANNEL}', ?)`, [userId]);
}
