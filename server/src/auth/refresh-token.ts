import { createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { openAesGcm, sealAesGcm } from './aes-gcm.ts';
import { isUuid } from '../uuid.ts';

/** The secret half of a refresh token: 256 random bits. */
export type RefreshSecret = Buffer;

const SECRET_BYTES = 32;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export function createRefreshSecret(): RefreshSecret {
  return randomBytes(SECRET_BYTES);
}

/** Refresh tokens read `<sessionId>.<secret>` so a lookup needs no scan. */
export function formatRefreshToken(sessionId: string, secret: RefreshSecret): string {
  return `${sessionId}.${secret.toString('base64url')}`;
}

export function parseRefreshToken(token: string): { sessionId: string; secret: RefreshSecret } | undefined {
  const [sessionId, encoded, ...rest] = token.split('.');
  if (rest.length > 0 || !sessionId || !encoded || !isUuid(sessionId) || !SECRET.test(encoded)) return undefined;
  return { sessionId, secret: Buffer.from(encoded, 'base64url') };
}

// A fast hash suffices: the secret has 256 bits of entropy, so there is nothing to brute-force.
export function hashRefreshSecret(secret: RefreshSecret): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** Constant-time, so a response time never tells how much of a hash matched. */
export function secretMatches(secret: RefreshSecret, storedHash: Uint8Array | null | undefined): boolean {
  if (!storedHash || storedHash.length !== 32) return false;
  return timingSafeEqual(hashRefreshSecret(secret), storedHash);
}

function successorKey(previous: RefreshSecret): Buffer {
  return Buffer.from(hkdfSync('sha256', previous, Buffer.alloc(0), 'refresh-token successor v1', 32));
}

/**
 * Seals the successor secret under a key derived from its predecessor, so a copy of the
 * database alone never yields a usable refresh token.
 */
export function sealSuccessor(previous: RefreshSecret, successor: RefreshSecret): Buffer {
  return sealAesGcm(successorKey(previous), successor);
}

export function openSuccessor(previous: RefreshSecret, sealed: Uint8Array): RefreshSecret | undefined {
  return openAesGcm(successorKey(previous), sealed);
}
