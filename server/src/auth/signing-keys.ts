import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PrivateJwk } from '../config.ts';
import { SigningKey } from '../database/entities/signing-key.entity.ts';
import type { SecretEnvelope } from './secret-envelope.ts';

/** Only asymmetric algorithms: whoever can verify a token must not be able to mint one. */
export const ACCESS_TOKEN_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export type AccessTokenAlgorithm = (typeof ACCESS_TOKEN_ALGORITHMS)[number];

interface VerificationKey {
  algorithm: AccessTokenAlgorithm;
  key: CryptoKey;
}

export interface KeyRing {
  signing: { kid: string; algorithm: AccessTokenAlgorithm; key: CryptoKey };
  /** Keys that verify access tokens: the current one and those retired within an access token's lifetime. */
  verification: ReadonlyMap<string, VerificationKey>;
  /** Keys that verify device tokens, which live 180 days: every key retired within that time too. */
  deviceVerification: ReadonlyMap<string, VerificationKey>;
  /** The public keys served at `/.well-known/jwks.json` (those of `verification`). */
  jwks: { keys: JWK[] };
}

function algorithmOf(jwk: JWK): AccessTokenAlgorithm {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  throw new Error(`Unsupported signing key ${jwk.kid}: only Ed25519 and P-256 keys are accepted`);
}

function publicPart({ kty, crv, x, y, kid }: JWK): JWK {
  return Object.fromEntries(Object.entries({ kty, crv, x, y, kid }).filter(([, value]) => value !== undefined));
}

async function verificationKeys(privateJwks: JWK[]): Promise<{ keys: Map<string, VerificationKey>; jwks: JWK[] }> {
  const keys = new Map<string, VerificationKey>();
  const jwks: JWK[] = [];
  for (const jwk of privateJwks) {
    const algorithm = algorithmOf(jwk);
    const publicJwk = { ...publicPart(jwk), alg: algorithm, use: 'sig' };
    keys.set(jwk.kid!, { algorithm, key: (await importJWK(publicJwk, algorithm)) as CryptoKey });
    jwks.push(publicJwk);
  }
  return { keys, jwks };
}

/** `accessKeys` (current first) sign and verify access tokens; `deviceOnlyKeys` still verify device tokens. */
async function buildKeyRing(accessKeys: JWK[], deviceOnlyKeys: JWK[]): Promise<KeyRing> {
  const access = await verificationKeys(accessKeys);
  const deviceOnly = await verificationKeys(deviceOnlyKeys);
  const current = accessKeys[0]!;
  const algorithm = algorithmOf(current);
  return {
    signing: { kid: current.kid!, algorithm, key: (await importJWK(current, algorithm)) as CryptoKey },
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
    const ring = await buildKeyRing(configured as JWK[], []);
    return { current: () => ring, reload: async () => {} };
  }
  if (!envelope) throw new KeyEncryptionError('KEY_ENCRYPTION_SECRET is required to keep signing keys in the database');
  const kidsOf = (keys: StoredKeys) => `${keys.access.map((key) => key.kid).join(',')}|${keys.deviceOnly.map((key) => key.kid).join(',')}`;
  let stored = await readStoredKeys(em.fork(), envelope, { now, accessTokenTtlMs, deviceTokenLifetimeMs });
  let ring = await buildKeyRing(stored.access, stored.deviceOnly);
  return {
    current: () => ring,
    async reload(at) {
      const latest = await readStoredKeys(em.fork(), envelope, { now: at, accessTokenTtlMs, deviceTokenLifetimeMs });
      // The same keys in the same order keep the same ring: a new one would empty the verified-token cache.
      if (kidsOf(latest) === kidsOf(stored)) return;
      stored = latest;
      ring = await buildKeyRing(latest.access, latest.deviceOnly);
    },
  };
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
  const jwk = await generateSigningKey();
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

export async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { ...(await exportJWK(privateKey)), kid: crypto.randomUUID() };
}
