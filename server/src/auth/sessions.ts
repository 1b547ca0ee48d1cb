import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { REVOCATION_CHANNEL } from './revocation-list.ts';
import { Session } from './session.entity.ts';
import {
  createRefreshSecret,
  formatRefreshToken,
  hashRefreshSecret,
  openSuccessor,
  parseRefreshToken,
  sealSuccessor,
  secretMatches,
  type RefreshSecret,
} from './refresh-token.ts';

export interface SessionPolicy {
  refreshIdleTtlMs: number;
  sessionMaxAgeMs: number;
  refreshGraceMs: number;
}

/** A session together with the refresh token its holder gets. */
export interface IssuedRefreshToken {
  session: Session;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

export interface RefreshFailure {
  failure: 'REFRESH_TOKEN_INVALID' | 'REFRESH_TOKEN_REUSED' | 'SESSION_EXPIRED' | 'SESSION_REVOKED';
  /** Set when the failure itself ended the session (a reused token). */
  revokedSessionId?: string;
}

export type RevocationReason = 'logout' | 'logout_all' | 'revoked' | 'password_changed' | 'refresh_token_reused';

const later = (now: Date, ms: number) => new Date(now.getTime() + ms);
const earliest = (a: Date, b: Date) => (a < b ? a : b);

/** When the session ends: its idle deadline or its absolute one, whichever comes first. */
export function sessionExpiresAt(session: Pick<Session, 'idleExpiresAt' | 'absoluteExpiresAt'>): Date {
  return earliest(session.idleExpiresAt, session.absoluteExpiresAt);
}

function issued(session: Session, secret: RefreshSecret): IssuedRefreshToken {
  return { session, refreshToken: formatRefreshToken(session.id, secret), refreshTokenExpiresAt: sessionExpiresAt(session) };
}

/** Starts a session (one login on one device) and hands out its first refresh token. */
export function startSession(
  em: EntityManager,
  { userId, userAgent, ip, now, policy }: { userId: string; userAgent: string | null; ip: string | null; now: Date; policy: SessionPolicy },
): IssuedRefreshToken {
  const secret = createRefreshSecret();
  const absoluteExpiresAt = later(now, policy.sessionMaxAgeMs);
  const session = em.create(Session, {
    id: crypto.randomUUID(),
    user: userId,
    tokenHash: hashRefreshSecret(secret),
    previousTokenHash: null,
    sealedSuccessor: null,
    rotatedAt: null,
    createdAt: now,
    lastUsedAt: now,
    idleExpiresAt: earliest(later(now, policy.refreshIdleTtlMs), absoluteExpiresAt),
    absoluteExpiresAt,
    userAgent: userAgent?.slice(0, 512) ?? null,
    ip,
    revokedAt: null,
    revokedReason: null,
  });
  return issued(session, secret);
}

/**
 * Exchanges a refresh token for its successor. The session row is locked, so parallel calls rotate
 * once; the predecessor presented again within the grace window gets the same successor back; any
 * other stale token of the session is treated as theft and ends the session.
 */
export async function rotateRefreshToken(
  em: EntityManager,
  refreshToken: string,
  { now, policy }: { now: Date; policy: SessionPolicy },
): Promise<IssuedRefreshToken | RefreshFailure> {
  const presented = parseRefreshToken(refreshToken);
  if (!presented) return { failure: 'REFRESH_TOKEN_INVALID' };
  return em.transactional(async (tx): Promise<IssuedRefreshToken | RefreshFailure> => {
    const session = await tx.findOne(Session, { id: presented.sessionId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!session) return { failure: 'REFRESH_TOKEN_INVALID' };
    if (session.revokedAt) return { failure: 'SESSION_REVOKED' };
    if (now >= sessionExpiresAt(session)) return { failure: 'SESSION_EXPIRED' };

    if (secretMatches(presented.secret, session.tokenHash)) {
      const successor = createRefreshSecret();
      // Remembered so that presenting this token again, once the grace window has passed, is recognised as theft.
      await tx.execute('insert into spent_refresh_tokens (token_hash, session_id) values (?, ?)', [session.tokenHash, session.id]);
      session.previousTokenHash = session.tokenHash;
      session.tokenHash = hashRefreshSecret(successor);
      session.sealedSuccessor = sealSuccessor(presented.secret, successor);
      session.rotatedAt = now;
      session.lastUsedAt = now;
      session.idleExpiresAt = earliest(later(now, policy.refreshIdleTtlMs), session.absoluteExpiresAt);
      return issued(session, successor);
    }

    const withinGrace = session.rotatedAt != null && now.getTime() - session.rotatedAt.getTime() <= policy.refreshGraceMs;
    if (withinGrace && session.sealedSuccessor && secretMatches(presented.secret, session.previousTokenHash)) {
      const successor = openSuccessor(presented.secret, session.sealedSuccessor);
      if (successor) return issued(session, successor);
    }

    const spent = await tx.execute<{ found: number }[]>(
      'select 1 as found from spent_refresh_tokens where token_hash = ? and session_id = ?',
      [hashRefreshSecret(presented.secret), session.id],
    );
    if (spent.length === 0) return { failure: 'REFRESH_TOKEN_INVALID' };
    // An old token of this session came back: someone kept a copy. End the session for everyone.
    session.revokedAt = now;
    session.revokedReason = 'refresh_token_reused';
    await tx.execute(`select pg_notify('${REVOCATION_CHANNEL}', ?)`, [session.id]);
    return { failure: 'REFRESH_TOKEN_REUSED', revokedSessionId: session.id };
  });
}

/** The live session a refresh token (current or its predecessor) belongs to, for logout. */
export async function findSessionByRefreshToken(em: EntityManager, refreshToken: string): Promise<Session | undefined> {
  const presented = parseRefreshToken(refreshToken);
  if (!presented) return undefined;
  const session = await em.findOne(Session, { id: presented.sessionId, revokedAt: null });
  if (!session) return undefined;
  const matches = secretMatches(presented.secret, session.tokenHash) || secretMatches(presented.secret, session.previousTokenHash);
  return matches ? session : undefined;
}

/**
 * Ends the user's live sessions (all, one, or all but one) and returns the ids it ended, so the
 * caller can reject their access tokens at once.
 */
export async function revokeSessions(
  em: EntityManager,
  {
    userId,
    sessionId,
    exceptSessionId,
    reason,
    now,
  }: { userId: string; sessionId?: string; exceptSessionId?: string; reason: RevocationReason; now: Date },
): Promise<string[]> {
  const conditions = ['user_id = ?', 'revoked_at is null', 'idle_expires_at > ?', 'absolute_expires_at > ?'];
  const params: unknown[] = [now, reason, userId, now, now];
  if (sessionId !== undefined) {
    conditions.push('id = ?');
    params.push(sessionId);
  }
  if (exceptSessionId !== undefined) {
    conditions.push('id <> ?');
    params.push(exceptSessionId);
  }
  // The notification goes out when the transaction commits, so other instances never hear of a rollback.
  const rows = await em.execute<{ id: string }[]>(
    `with revoked as (update sessions set revoked_at = ?, revoked_reason = ? where ${conditions.join(' and ')} returning id)
     select id, pg_notify('${REVOCATION_CHANNEL}', id::text) from revoked`,
    params,
  );
  return rows.map((row) => row.id);
}
