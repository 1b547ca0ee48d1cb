import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConfigError, type PrivateJwk } from '../config.ts';
import { SigningKey } from '../database/entities/signing-key.entity.ts';
import type { SecretEnvelope } from './secret-envelope.ts';
import type { JwtAlgorithm, JwtSigningKey, JwtVerificationKey } from './jwt.ts';

/** A JSON Web Key as stored and configured: node's own type, with the key id every one of ours has. */
export type JWK = JsonWebKey & { kid?: string };

export interface KeyRing {
  signing: JwtSigningKey;
  /** Keys that verify access tokens: the current one and those retired within an access token's lifetime. */
  verification: ReadonlyMap<string, JwtVerificationKey>;
  /** Keys that verify device tokens, which live 180 days: every key retired within that time too. */
  deviceVerification: ReadonlyMap<string, JwtVerificationKey>;
  /** The public keys served at `/.well-known/jwks.json` (those of `verification`). */
  jwks: { keys: JWK[] };
}

function algorithmOf(jwk: JWK): JwtAlgorithm {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  throw new Error(`Unsupported signing key ${jwk.kid}: only Ed25519 and P-256 keys are accepted`);
}

function publicPart({ kty, crv, x, y, kid }: JWK): JWK {
  return Object.fromEntries(Object.entries({ kty, crv, x, y, kid }).filter(([, value]) => value !== undefined));
}

function verificationKeys(privateJwks: JWK[]): { keys: Map<string, JwtVerificationKey>; jwks: JWK[] } {
  const keys = new Map<string, JwtVerificationKey>();
  const jwks: JWK[] = [];
  for (const jwk of privateJwks) {
    const algorithm = algorithmOf(jwk);
    const publicKey = publicPart(jwk);
    keys.set(jwk.kid!, { algorithm, publicKeyPem: createPublicKey({ key: publicKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string });
    jwks.push({ ...publicKey, alg: algorithm, use: 'sig' });
  }
  return { keys, jwks };
}

/** `accessKeys` (current first) sign and verify access tokens; `deviceOnlyKeys` still verify device tokens. */
function buildKeyRing(accessKeys: JWK[], deviceOnlyKeys: JWK[]): KeyRing {
  const access = verificationKeys(accessKeys);
  const deviceOnly = verificationKeys(deviceOnlyKeys);
  const current = accessKeys[0]!;
  return {
    signing: { kid: current.kid!, algorithm: algorithmOf(current), privateKeyPem: createPrivateKey({ key: current, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' }) as string },
    verification: access.keys,
    deviceVerification: new Map([...access.keys, ...deviceOnly.keys]),
    jwks: { keys: access.jwks },
  };
}

/** The key ring in force, replaced when keys rotate on any instance. */
export interface SigningKeys {
  current(): KeyRing;
  /** Reloads from the database; a no-op for keys configured in `JWT_PRIVATE_KEYS`. */
  reload(now: Date): Promise<void>;
}

export const SIGNING_KEYS_CHANNEL = 'signing_keys_changed';

/** Stored keys that `KEY_ENCRYPTION_SECRET` (nor the previous secret) cannot open: the server must not start signing with new ones. */
export class KeyEncryptionError extends Error {
  override name = 'KeyEncryptionError';
}

interface StoredKeys {
  /** Current first, then those retired within an access token's lifetime. */
  access: JWK[];
  deviceOnly: JWK[];
}

/**
 * Loads the signing keys: from `JWT_PRIVATE_KEYS` when configured (the first is current; all of them
 * verify device tokens), otherwise from the database, where they are kept sealed by `envelope`,
 * generating an Ed25519 key on first start.
 */
export async function loadSigningKeys(
  em: EntityManager,
  { configured, envelope }: { configured: PrivateJwk[] | undefined; envelope: SecretEnvelope | undefined },
  { now, accessTokenTtlMs, deviceTokenLifetimeMs }: { now: Date; accessTokenTtlMs: number; deviceTokenLifetimeMs: number },
): Promise<SigningKeys> {
  if (configured) {
    const ring = configuredKeyRing(configured);
    return { current: () => ring, reload: async () => {} };
  }
  if (!envelope) throw new KeyEncryptionError('KEY_ENCRYPTION_SECRET is required to keep signing keys in the database');
  const kidsOf = (keys: StoredKeys) => `${keys.access.map((key) => key.kid).join(',')}|${keys.deviceOnly.map((key) => key.kid).join(',')}`;
  let stored = await readStoredKeys(em.fork(), envelope, { now, accessTokenTtlMs, deviceTokenLifetimeMs });
  let ring = buildKeyRing(stored.access, stored.deviceOnly);
  return {
    current: () => ring,
    async reload(at) {
      const latest = await readStoredKeys(em.fork(), envelope, { now: at, accessTokenTtlMs, deviceTokenLifetimeMs });
      // The same keys in the same order keep the same ring: a new one would empty the verified-token cache.
      if (kidsOf(latest) === kidsOf(stored)) return;
      stored = latest;
      ring = buildKeyRing(latest.access, latest.deviceOnly);
    },
  };
}

/** The configured keys; one whose parts do not make a key stops the start, naming the variable and the key. */
function configuredKeyRing(configured: PrivateJwk[]): KeyRing {
  for (const jwk of configured) {
    try {
      createPrivateKey({ key: jwk, format: 'jwk' });
    } catch {
      throw new ConfigError(`JWT_PRIVATE_KEYS: key ${jwk.kid} is not a valid ${jwk.kty === 'EC' ? 'P-256' : 'Ed25519'} private key (check its d, x and y)`);
    }
  }
  return buildKeyRing(configured, []);
}

const labelOf = (kid: string) => `signing-key:${kid}`;

/**
 * The stored keys, opened. Keys retired longer ago than a device token lives are left out; younger
 * ones verify device tokens, and those retired within an access token's lifetime access tokens
 * too. Keys still in plaintext (from before encryption) or sealed under the previous secret are
 * sealed under the current one on the way.
 */
async function readStoredKeys(
  em: EntityManager,
  envelope: SecretEnvelope,
  { now, accessTokenTtlMs, deviceTokenLifetimeMs }: { now: Date; accessTokenTtlMs: number; deviceTokenLifetimeMs: number },
): Promise<StoredKeys> {
  return em.transactional(async (tx) => {
    // Instances starting together must agree on one key, so the first one in generates it.
    await tx.execute(`select pg_advisory_xact_lock(hashtext('signing_keys'))`);
    const keptSince = new Date(now.getTime() - Math.max(accessTokenTtlMs, deviceTokenLifetimeMs));
    const rows = await tx.find(SigningKey, { $or: [{ retiredAt: null }, { retiredAt: { $gt: keptSince } }] }, { orderBy: { createdAt: 'desc' } });
    const opened = rows.map((row) => ({ row, jwk: openStoredKey(row, envelope) }));
    if (!rows.some((row) => row.retiredAt === null)) opened.unshift(await createSigningKey(tx, envelope, now));
    const accessSince = now.getTime() - accessTokenTtlMs;
    // The current key is the newest one not retired.
    const current = opened.filter(({ row }) => row.retiredAt === null);
    const retired = opened.filter(({ row }) => row.retiredAt !== null);
    return {
      access: [...current, ...retired.filter(({ row }) => row.retiredAt!.getTime() > accessSince)].map(({ jwk }) => jwk),
      deviceOnly: retired.filter(({ row }) => row.retiredAt!.getTime() <= accessSince).map(({ jwk }) => jwk),
    };
  });
}

/** A stored key's private JWK; plaintext ones and those under the previous secret are sealed anew (written when the transaction commits). */
function openStoredKey(row: SigningKey, envelope: SecretEnvelope): JWK {
  if (row.privateJwk) {
    const jwk = row.privateJwk;
    row.sealedPrivateJwk = envelope.seal(JSON.stringify(jwk), labelOf(row.kid));
    row.privateJwk = null;
    return jwk;
  }
  const opened = row.sealedPrivateJwk ? envelope.open(row.sealedPrivateJwk, labelOf(row.kid)) : undefined;
  if (!opened) {
    throw new KeyEncryptionError(
      `KEY_ENCRYPTION_SECRET does not open signing key ${row.kid}: set the secret the keys were stored with (during a change, the old one as KEY_ENCRYPTION_SECRET_PREVIOUS)`,
    );
  }
  if (opened.sealedWithPrevious) row.sealedPrivateJwk = envelope.seal(opened.plaintext, labelOf(row.kid));
  return JSON.parse(opened.plaintext) as JWK;
}

async function createSigningKey(tx: EntityManager, envelope: SecretEnvelope, now: Date): Promise<{ row: SigningKey; jwk: JWK }> {
  const jwk = generateSigningKey();
  const row = tx.create(SigningKey, {
    kid: jwk.kid!,
    algorithm: 'EdDSA',
    sealedPrivateJwk: envelope.seal(JSON.stringify(jwk), labelOf(jwk.kid!)),
    privateJwk: null,
    createdAt: now,
    retiredAt: null,
  });
  return { row, jwk };
}

/**
 * Retires the current key and makes a new one current; every instance reloads on the notification.
 * Tokens signed with the retired key stay valid until they expire.
 */
export async function rotateSigningKeys(em: EntityManager, envelope: SecretEnvelope, now: Date): Promise<{ kid: string; retired: string[] }> {
  return em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('signing_keys'))`);
    // A key sealed under a secret the servers do not have would stop them: the secret must open today's keys first.
    for (const row of await tx.find(SigningKey, { retiredAt: null })) openStoredKey(row, envelope);
    const retired = await tx.execute<{ kid: string }[]>('update signing_keys set retired_at = ? where retired_at is null returning kid', [now]);
    const { jwk } = await createSigningKey(tx, envelope, now);
    await tx.execute(`select pg_notify('${SIGNING_KEYS_CHANNEL}', ?)`, [jwk.kid!]);
    return { kid: jwk.kid!, retired: retired.map((row) => row.kid) };
  });
}

export function generateSigningKey(): JWK {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID() };
}
