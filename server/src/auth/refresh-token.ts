import { hash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { openAesGcm } from './aes-gcm.ts';
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
  return hash('sha256', secret, 'buffer');
}

/** Constant-time, so a response time never tells how much of a hash matched. */
export function secretMatches(secret: RefreshSecret, storedHash: Uint8Array | null | undefined): boolean {
  if (!storedHash || storedHash.length !== 32) return false;
  return timingSafeEqual(hashRefreshSecret(secret), storedHash);
}

/** The label that keeps the successor's pad apart from the stored SHA-256 of the same secret. */
const PAD_LABEL = Buffer.from('refresh-token successor pad v2\0');
// Rows rotated by the release before this one hold AES-256-GCM boxes (12-byte IV, 16-byte tag, 32 bytes).
const LEGACY_SEALED_BYTES = 60;

/**
 * Seals the successor under a pad only the predecessor's holder can compute: SHA-256 of a label
 * and the predecessor, a 256-bit secret that is never stored. A database copy alone therefore
 * never yields a usable refresh token. Each predecessor seals at most one stored successor (only
 * the rotation that matches its hash is written), so the pad is used once, like a one-time pad.
 * Two hashes and an XOR cost a few microseconds; key derivation and AES-GCM through node:crypto
 * cost some 35 µs per refresh, most of it turning buffers into keys.
 */
export function sealSuccessor(previous: RefreshSecret, successor: RefreshSecret): Buffer {
  return xor(successor, successorPad(previous));
}

/**
 * The successor sealed for `previous`, provided its hash is `successorHash` (the session's current
 * hash), so a damaged or forged box never hands out a token the session does not hold.
 */
export function openSuccessor(previous: RefreshSecret, sealed: Uint8Array, successorHash: Uint8Array | null): RefreshSecret | undefined {
  const successor = unseal(previous, sealed);
  return successor && secretMatches(successor, successorHash) ? successor : undefined;
}

function unseal(previous: RefreshSecret, sealed: Uint8Array): RefreshSecret | undefined {
  if (sealed.length === SECRET_BYTES) return xor(Buffer.from(sealed), successorPad(previous));
  if (sealed.length === LEGACY_SEALED_BYTES) return openAesGcm(legacySuccessorKey(previous), sealed);
  return undefined;
}

function successorPad(previous: RefreshSecret): Buffer {
  return hash('sha256', Buffer.concat([PAD_LABEL, previous]), 'buffer');
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** The key the previous release sealed successors under; its boxes live at most one grace window. */
function legacySuccessorKey(previous: RefreshSecret): Buffer {
  return Buffer.from(hkdfSync('sha256', previous, Buffer.alloc(0), 'refresh-token successor v1', 32));
}
