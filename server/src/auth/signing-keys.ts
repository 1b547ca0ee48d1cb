import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PrivateJwk } from '../config.ts';
import { SigningKey } from './signing-key.entity.ts';

/** Only asymmetric algorithms: whoever can verify a token must not be able to mint one. */
export const ACCESS_TOKEN_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export type AccessTokenAlgorithm = (typeof ACCESS_TOKEN_ALGORITHMS)[number];

interface VerificationKey {
  algorithm: AccessTokenAlgorithm;
  key: CryptoKey;
}

export interface KeyRing {
  signing: { kid: string; algorithm: AccessTokenAlgorithm; key: CryptoKey };
  verification: ReadonlyMap<string, VerificationKey>;
  /** The public keys served at `/.well-known/jwks.json`. */
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

async function buildKeyRing(privateJwks: JWK[]): Promise<KeyRing> {
  const verification = new Map<string, VerificationKey>();
  const jwks: JWK[] = [];
  for (const jwk of privateJwks) {
    const algorithm = algorithmOf(jwk);
    const publicJwk = { ...publicPart(jwk), alg: algorithm, use: 'sig' };
    verification.set(jwk.kid!, { algorithm, key: (await importJWK(publicJwk, algorithm)) as CryptoKey });
    jwks.push(publicJwk);
  }
  const current = privateJwks[0]!;
  const algorithm = algorithmOf(current);
  return {
    signing: { kid: current.kid!, algorithm, key: (await importJWK(current, algorithm)) as CryptoKey },
    verification,
    jwks: { keys: jwks },
  };
}

/** The key ring in force, replaced when keys rotate on any instance. */
export interface SigningKeys {
  current(): KeyRing;
  /** Reloads from the database; a no-op for keys configured in `JWT_PRIVATE_KEYS`. */
  reload(now: Date): Promise<void>;
}

export const SIGNING_KEYS_CHANNEL = 'signing_keys_changed';

/**
 * Loads the signing keys: from `JWT_PRIVATE_KEYS` when configured (the first is current), otherwise
 * from the database, generating an Ed25519 key on first start.
 */
export async function loadSigningKeys(
  em: EntityManager,
  configured: PrivateJwk[] | undefined,
  { now, accessTokenTtlMs }: { now: Date; accessTokenTtlMs: number },
): Promise<SigningKeys> {
  if (configured) {
    const ring = await buildKeyRing(configured as JWK[]);
    return { current: () => ring, reload: async () => {} };
  }
  const kidsOf = (keys: JWK[]) => keys.map((key) => key.kid).join(',');
  let stored = await readStoredKeys(em.fork(), now, accessTokenTtlMs);
  let ring = await buildKeyRing(stored);
  return {
    current: () => ring,
    async reload(at) {
      const latest = await readStoredKeys(em.fork(), at, accessTokenTtlMs);
      // The same keys in the same order keep the same ring: a new one would empty the verified-token cache.
      if (kidsOf(latest) === kidsOf(stored)) return;
      stored = latest;
      ring = await buildKeyRing(latest);
    },
  };
}

/**
 * The stored keys, current first. Keys retired longer ago than an access token lives are left out;
 * younger ones still verify the tokens they signed.
 */
async function readStoredKeys(em: EntityManager, now: Date, accessTokenTtlMs: number): Promise<JWK[]> {
  const keys = await em.transactional(async (tx) => {
    // Instances starting together must agree on one key, so the first one in generates it.
    await tx.execute(`select pg_advisory_xact_lock(hashtext('signing_keys'))`);
    const retiredSince = new Date(now.getTime() - accessTokenTtlMs);
    const stored = await tx.find(
      SigningKey,
      { $or: [{ retiredAt: null }, { retiredAt: { $gt: retiredSince } }] },
      { orderBy: { createdAt: 'desc' } },
    );
    if (stored.some((key) => key.retiredAt === null)) return stored;
    const generated = await generateSigningKey();
    tx.create(SigningKey, { kid: generated.kid!, algorithm: 'EdDSA', privateJwk: generated, createdAt: now, retiredAt: null });
    return [{ privateJwk: generated, retiredAt: null }, ...stored];
  });
  // The current key is the newest one not retired.
  return [...keys.filter((key) => key.retiredAt === null), ...keys.filter((key) => key.retiredAt !== null)].map(
    (key) => key.privateJwk,
  );
}

/**
 * Retires the current key and makes a new one current; every instance reloads on the notification.
 * Tokens signed with the retired key stay valid until they expire.
 */
export async function rotateSigningKeys(em: EntityManager, now: Date): Promise<{ kid: string; retired: string[] }> {
  return em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('signing_keys'))`);
    const retired = await tx.execute<{ kid: string }[]>('update signing_keys set retired_at = ? where retired_at is null returning kid', [now]);
    const generated = await generateSigningKey();
    tx.create(SigningKey, { kid: generated.kid!, algorithm: 'EdDSA', privateJwk: generated, createdAt: now, retiredAt: null });
    await tx.execute(`select pg_notify('${SIGNING_KEYS_CHANNEL}', ?)`, [generated.kid!]);
    return { kid: generated.kid!, retired: retired.map((row) => row.kid) };
  });
}

export async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { ...(await exportJWK(privateKey)), kid: crypto.randomUUID() };
}
