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

/**
 * Loads the signing keys: from `JWT_PRIVATE_KEYS` when configured (the first is current), otherwise
 * from the database, generating an Ed25519 key on first start. Keys retired longer ago than an access
 * token lives are left out; younger ones still verify the tokens they signed.
 */
export async function loadKeyRing(
  em: EntityManager,
  configured: PrivateJwk[] | undefined,
  options: { now: Date; accessTokenTtlMs: number },
): Promise<KeyRing> {
  if (configured) return buildKeyRing(configured as JWK[]);
  const keys = await em.transactional(async (tx) => {
    // Instances starting together must agree on one key, so the first one in generates it.
    await tx.execute(`select pg_advisory_xact_lock(hashtext('signing_keys'))`);
    const retiredSince = new Date(options.now.getTime() - options.accessTokenTtlMs);
    const stored = await tx.find(
      SigningKey,
      { $or: [{ retiredAt: null }, { retiredAt: { $gt: retiredSince } }] },
      { orderBy: { createdAt: 'desc' } },
    );
    if (stored.some((key) => key.retiredAt === null)) return stored;
    const generated = await generateSigningKey();
    tx.create(SigningKey, { kid: generated.kid!, algorithm: 'EdDSA', privateJwk: generated, createdAt: options.now, retiredAt: null });
    return [{ privateJwk: generated, retiredAt: null }, ...stored];
  });
  // The current key is the newest one not retired.
  const ordered = [...keys.filter((key) => key.retiredAt === null), ...keys.filter((key) => key.retiredAt !== null)];
  return buildKeyRing(ordered.map((key) => key.privateJwk));
}

export async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { ...(await exportJWK(privateKey)), kid: crypto.randomUUID() };
}
