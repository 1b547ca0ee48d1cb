import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { User } from './user.entity.ts';

/** One login on one device: a family of refresh tokens of which only the newest is usable. */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  // The cleanup deletes by expiry.
  indexes: [{ name: 'sessions_expiry_index', properties: ['idleExpiresAt', 'absoluteExpiresAt'] }],
  properties: {
    id: p.uuid().primary(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    // SHA-256 of the current refresh secret; the secret itself is never stored.
    tokenHash: p.blob(),
    // The predecessor's hash stays for the grace window, so a retried refresh converges.
    previousTokenHash: p.blob().nullable(),
    // The current secret sealed under a key derived from the predecessor: only its holder can open it.
    sealedSuccessor: p.blob().nullable(),
    rotatedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
    lastUsedAt: p.datetime(),
    idleExpiresAt: p.datetime(),
    absoluteExpiresAt: p.datetime(),
    userAgent: p.string().length(512).nullable(),
    ip: p.string().length(64).nullable(),
    revokedAt: p.datetime().nullable().index(),
    revokedReason: p.string().length(32).nullable(),
    // How the login proved who it was (`pwd`, `otp`, `rec`, `hwk`) and when: carried into every access token of the session.
    amr: p.array(),
    authTime: p.datetime(),
    // When a second factor was last proven on this session (at login or since), for the changes that need a recent one.
    secondFactorAt: p.datetime().nullable(),
  },
});

export type Session = InferEntity<typeof Session>;
