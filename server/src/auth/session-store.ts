import type { EntityManager } from '@mikro-orm/postgresql';
import { Session } from '../database/entities/session.entity.ts';
import { timestampOf, type HotPool } from '../database/hot-statements.ts';
import { batchedPerTurn } from '../database/turn-batch.ts';
import type { UserProfile } from '../user/user-profile.ts';
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

/**
 * Every statement about sessions and spent refresh tokens lives here: starting, rotating, finding,
 * listing, revoking (with its announcement) and deleting them. The hot path (rotation) runs as
 * statements on the pool, the rotations of one event-loop turn in one; the rest through the ORM.
 */

/** The PostgreSQL channel on which every revoked session id is announced to all instances. */
export const REVOCATION_CHANNEL = 'session_revoked';

export interface SessionPolicy {
  refreshIdleTtlMs: number;
  sessionMaxAgeMs: number;
  refreshGraceMs: number;
}

/** What a token needs to know of its session: which one, when it ends, and how and when its login proved who it was. */
export type SessionLifetime = Pick<Session, 'id' | 'idleExpiresAt' | 'absoluteExpiresAt' | 'amr' | 'authTime'>;

/** How a login proved who it was (RFC 8176): password, one-time code, recovery code, hardware-bound key (passkey). */
export type AuthenticationMethod = 'pwd' | 'otp' | 'rec' | 'hwk';

/** A session's lifetime together with the refresh token its holder gets. */
export interface IssuedRefreshToken {
  session: SessionLifetime;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

export interface RefreshFailure {
  failure: 'REFRESH_TOKEN_INVALID' | 'REFRESH_TOKEN_REUSED' | 'SESSION_EXPIRED' | 'SESSION_REVOKED';
  /** Set when the failure itself ended the session (a reused token). */
  revokedSessionId?: string;
}

export type RevocationReason = 'logout' | 'logout_all' | 'revoked' | 'password_changed' | 'password_reset' | 'account_deleted' | 'refresh_token_reused';

const later = (now: Date, ms: number) => new Date(now.getTime() + ms);
const earliest = (a: Date, b: Date) => (a < b ? a : b);

/** When the session ends: its idle deadline or its absolute one, whichever comes first. */
export function sessionExpiresAt(session: Pick<Session, 'idleExpiresAt' | 'absoluteExpiresAt'>): Date {
  return earliest(session.idleExpiresAt, session.absoluteExpiresAt);
}

function issued(session: SessionLifetime, secret: RefreshSecret): IssuedRefreshToken {
  return { session, refreshToken: formatRefreshToken(session.id, secret), refreshTokenExpiresAt: sessionExpiresAt(session) };
}

/**
 * Starts a session (one login on one device) and hands out its first refresh token. `amr` is how
 * the login proved who it was; with a second factor among them, that counts as proven just now.
 */
export function startSession(
  em: EntityManager,
  {
    userId,
    userAgent,
    ip,
    now,
    policy,
    amr,
  }: { userId: string; userAgent: string | null; ip: string | null; now: Date; policy: SessionPolicy; amr: AuthenticationMethod[] },
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
    amr,
    authTime: now,
    secondFactorAt: amr.some((method) => method !== 'pwd') ? now : null,
  });
  return issued(session, secret);
}

interface SessionRow {
  id: string;
  user_id: string;
  token_hash: Buffer;
  previous_token_hash: Buffer | null;
  sealed_successor: Buffer | null;
  rotated_at: string | Date | null;
  revoked_at: string | Date | null;
  idle_expires_at: string | Date;
  absolute_expires_at: string | Date;
  amr: string[];
  auth_time: string | Date;
  email: string;
  name: string;
  avatar_url: string | null;
  email_verified: boolean;
  created_at: string | Date;
}

function lifetimeOf(row: SessionRow): SessionLifetime {
  return {
    id: row.id,
    idleExpiresAt: timestampOf(row.idle_expires_at),
    absoluteExpiresAt: timestampOf(row.absolute_expires_at),
    amr: row.amr,
    authTime: timestampOf(row.auth_time),
  };
}

function profileOf(row: SessionRow): UserProfile {
  return { id: row.user_id, email: row.email, name: row.name, avatarUrl: row.avatar_url, emailVerified: row.email_verified, createdAt: timestampOf(row.created_at) };
}

const PROFILE_COLUMNS = 'u.email, u.name, u.avatar_url, u.email_verified, u.created_at';

const ROTATE = `update sessions set
          previous_token_hash = token_hash,
          token_hash = $2,
          sealed_successor = $3,
          rotated_at = $4,
          last_used_at = $4,
          idle_expires_at = least($4::timestamptz + make_interval(secs => $5::float8 / 1000), absolute_expires_at)
        where id = $1 and token_hash = $6 and revoked_at is null and idle_expires_at > $4 and absolute_expires_at > $4`;
// Remembered so that presenting this token again after the grace window is recognised as theft.
const REMEMBER_SPENT = 'insert into spent_refresh_tokens (token_hash, session_id) select $6, id from rotated';
const ROTATED_COLUMNS = 'r.id, r.user_id, r.idle_expires_at, r.absolute_expires_at, r.amr, r.auth_time';
const ROTATED_RETURNING = 'returning id, user_id, idle_expires_at, absolute_expires_at, amr, auth_time';

/**
 * Many rotations in one statement, one answer row per rotation in order. It locks the sessions with
 * SKIP LOCKED, so it never waits for a row lock: a statement holding several row locks could
 * otherwise deadlock with a revocation or another instance's batch. A session it skipped (`found`
 * but not `locked`) is rotated on its own. Two rotations of one session in a batch update it once;
 * the other finds its token spent, as a parallel refresh does.
 */
const ROTATE_MANY = `with presented as (
    select * from unnest($1::uuid[], $2::bytea[], $3::bytea[], $4::timestamptz[], $5::float8[], $6::bytea[]) with ordinality
      as p(id, next_hash, sealed, now, idle_ttl_ms, presented_hash, position)
  ), locked as (
    select id from sessions where id = any($1::uuid[]) for update skip locked
  ), rotated as (
    update sessions s set
      previous_token_hash = s.token_hash,
      token_hash = p.next_hash,
      sealed_successor = p.sealed,
      rotated_at = p.now,
      last_used_at = p.now,
      idle_expires_at = least(p.now + make_interval(secs => p.idle_ttl_ms / 1000), s.absolute_expires_at)
    from presented p
    where s.id = p.id and s.id in (select id from locked) and s.token_hash = p.presented_hash
      and s.revoked_at is null and s.idle_expires_at > p.now and s.absolute_expires_at > p.now
    returning p.position, p.presented_hash, s.id, s.user_id, s.idle_expires_at, s.absolute_expires_at, s.amr, s.auth_time
  ), spent as (
    insert into spent_refresh_tokens (token_hash, session_id) select presented_hash, id from rotated
  )
  select exists (select 1 from sessions where id = p.id) as found, l.id is not null as locked, ${ROTATED_COLUMNS}, ${PROFILE_COLUMNS}
    from presented p
    left join locked l on l.id = p.id
    left join rotated r on r.position = p.position
    left join users u on u.id = r.user_id
    order by p.position`;

/** One compare-and-set of a session's refresh token hash. */
interface Rotation {
  sessionId: string;
  successorHash: Buffer;
  sealedSuccessor: Buffer;
  now: Date;
  idleTtlMs: number;
  presentedHash: Buffer;
}

/** Rotates a session if the presented token is its current one; undefined when it is not (or the session is over). */
export type SessionRotator = (rotation: Rotation) => Promise<SessionRow | undefined>;

async function rotateOne(pool: HotPool, rotation: Rotation): Promise<SessionRow | undefined> {
  const rotated = await pool.run<SessionRow>({
    name: 'rotate-refresh-token',
    text: `with rotated as (${ROTATE} ${ROTATED_RETURNING}), spent as (${REMEMBER_SPENT})
      select ${ROTATED_COLUMNS}, ${PROFILE_COLUMNS} from rotated r join users u on u.id = r.user_id`,
    values: [rotation.sessionId, rotation.successorHash, rotation.sealedSuccessor, rotation.now, rotation.idleTtlMs, rotation.presentedHash],
  });
  return rotated.rows[0];
}

async function rotateMany(pool: HotPool, rotations: readonly Rotation[]): Promise<(SessionRow | undefined | Promise<SessionRow | undefined>)[]> {
  const column = <T>(pick: (rotation: Rotation) => T) => rotations.map(pick);
  const answer = await pool.run<Partial<SessionRow> & { found: boolean; locked: boolean }>({
    name: 'rotate-refresh-tokens',
    text: ROTATE_MANY,
    values: [
      column((r) => r.sessionId),
      column((r) => r.successorHash),
      column((r) => r.sealedSuccessor),
      column((r) => r.now),
      column((r) => r.idleTtlMs),
      column((r) => r.presentedHash),
    ],
  });
  return rotations.map((rotation, i) => {
    const row = answer.rows[i];
    if (row?.id) return row as SessionRow;
    // Another transaction held the row: this rotation waits for it on its own, as a lone one does.
    return row?.found && !row.locked ? rotateOne(pool, rotation) : undefined;
  });
}

/**
 * Rotations asked for within one turn of the event loop go to the database as one statement: under
 * load, one round trip and one commit serve many refreshes. A lone rotation keeps its single-row
 * statement: run through the batch statement, one refresh at a time went from about 760 to 550 a second.
 */
export function createSessionRotator(pool: HotPool): SessionRotator {
  return batchedPerTurn(
    async (rotations: readonly Rotation[]) => (rotations.length === 1 ? [await rotateOne(pool, rotations[0]!)] : rotateMany(pool, rotations)),
    // Bounds one statement's arrays and work; 50 busy connections rarely gather more in a turn.
    { maxBatch: 64 },
  );
}

/**
 * Exchanges a refresh token for its successor, with the session's user. Rotation is a
 * compare-and-set in one statement (no lock held across round trips), shared with the other
 * rotations of the same event-loop turn (`rotate`): of N parallel calls
 * with one token exactly one matches the current hash and rotates; the rest find the token as
 * the predecessor within the grace window and get the same successor back. Any other spent
 * token of the session is treated as theft and ends the session.
 */
export async function rotateRefreshToken(
  { pool, rotate, em }: { pool: HotPool; rotate: SessionRotator; em: () => EntityManager },
  refreshToken: string,
  { now, policy }: { now: Date; policy: SessionPolicy },
): Promise<(IssuedRefreshToken & { user: UserProfile }) | RefreshFailure> {
  const presented = parseRefreshToken(refreshToken);
  if (!presented) return { failure: 'REFRESH_TOKEN_INVALID' };
  const presentedHash = hashRefreshSecret(presented.secret);
  const successor = createRefreshSecret();
  const row = await rotate({
    sessionId: presented.sessionId,
    successorHash: hashRefreshSecret(successor),
    sealedSuccessor: sealSuccessor(presented.secret, successor),
    now,
    idleTtlMs: policy.refreshIdleTtlMs,
    presentedHash,
  });
  if (row?.id) return { ...issued(lifetimeOf(row), successor), user: profileOf(row) };

  const found = await pool.run<SessionRow>({
    name: 'find-session-for-refresh',
    text: `select s.id, s.user_id, s.token_hash, s.previous_token_hash, s.sealed_successor, s.rotated_at, s.revoked_at,
        s.idle_expires_at, s.absolute_expires_at, s.amr, s.auth_time, ${PROFILE_COLUMNS}
      from sessions s join users u on u.id = s.user_id where s.id = $1`,
    values: [presented.sessionId],
  });
  const session = found.rows[0];
  if (!session) return { failure: 'REFRESH_TOKEN_INVALID' };
  if (session.revoked_at) return { failure: 'SESSION_REVOKED' };
  const lifetime = lifetimeOf(session);
  if (now >= sessionExpiresAt(lifetime)) return { failure: 'SESSION_EXPIRED' };

  const rotatedAt = session.rotated_at === null ? undefined : timestampOf(session.rotated_at);
  const withinGrace = rotatedAt !== undefined && now.getTime() - rotatedAt.getTime() <= policy.refreshGraceMs;
  if (withinGrace && session.sealed_successor && secretMatches(presented.secret, session.previous_token_hash)) {
    const sameSuccessor = openSuccessor(presented.secret, session.sealed_successor, session.token_hash);
    if (sameSuccessor) return { ...issued(lifetime, sameSuccessor), user: profileOf(session) };
  }

  const spent = await pool.run({
    name: 'find-spent-refresh-token',
    text: 'select 1 from spent_refresh_tokens where token_hash = $1 and session_id = $2',
    values: [presentedHash, session.id],
  });
  if (spent.rowCount === 0) return { failure: 'REFRESH_TOKEN_INVALID' };
  // An old token of this session came back: someone kept a copy. End the session for everyone.
  await revokeSessions(em(), { userId: session.user_id, sessionId: session.id, reason: 'refresh_token_reused', now });
  return { failure: 'REFRESH_TOKEN_REUSED', revokedSessionId: session.id };
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

/** One of the user's sessions by id, live or not; undefined for another user's or an unknown one. */
export async function findUsersSession(em: EntityManager, userId: string, sessionId: string): Promise<Session | undefined> {
  return (await em.findOne(Session, { id: sessionId, user: userId })) ?? undefined;
}

/** The user's live sessions, most recently used first. */
export function listLiveSessions(em: EntityManager, userId: string, now: Date): Promise<Session[]> {
  return em.find(Session, { user: userId, revokedAt: null, idleExpiresAt: { $gt: now }, absoluteExpiresAt: { $gt: now } }, { orderBy: { lastUsedAt: 'desc' } });
}

/** Sessions revoked since `since`, for the in-memory revocation list (start-up and catch-up). */
export async function sessionsRevokedSince(em: EntityManager, since: Date): Promise<{ id: string; revokedAt: Date }[]> {
  const rows = await em.execute<{ id: string; revoked_at: string | Date }[]>('select id, revoked_at from sessions where revoked_at > ?', [since]);
  return rows.map((row) => ({ id: row.id, revokedAt: timestampOf(row.revoked_at) }));
}

/**
 * Deletes sessions that can no longer be used: expired, or revoked before `revokedBefore` (the
 * revocation list no longer needs them). Their spent tokens go with them (cascade). A plain delete
 * by predicate: every instance may run it at the same time.
 */
export async function deleteEndedSessions(em: EntityManager, { now, revokedBefore }: { now: Date; revokedBefore: Date }): Promise<number> {
  const deleted = await em.execute<{ id: string }[]>(
    'delete from sessions where idle_expires_at <= ? or absolute_expires_at <= ? or revoked_at < ? returning id',
    [now, now, revokedBefore],
  );
  return deleted.length;
}
