import { createDecoder, createSigner, createVerifier, TokenError } from 'fast-jwt';

/** Only asymmetric algorithms: whoever can verify a token must not be able to mint one. */
export const JWT_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

export interface JwtSigningKey {
  kid: string;
  algorithm: JwtAlgorithm;
  privateKeyPem: string;
}

export interface JwtVerificationKey {
  algorithm: JwtAlgorithm;
  publicKeyPem: string;
}

export type JwtFailure = 'TOKEN_EXPIRED' | 'TOKEN_INVALID';

export interface JwtRules {
  /** The `typ` header: access and device tokens are never taken for one another. */
  typ: string;
  issuer: string;
  audience: string;
  requiredClaims: readonly string[];
  now: Date;
  clockSkewSeconds: number;
}

type Signer = (claims: Record<string, unknown>) => string;

// Built once per key and type: fast-jwt parses the PEM when a signer is created.
const signers = new WeakMap<JwtSigningKey, Map<string, Signer>>();
const decodeWithHeader = createDecoder({ complete: true });

/**
 * Signs synchronously in `node:crypto`. WebCrypto (jose) queues every signature on the libuv
 * pool, where password hashes run, so a signature could wait behind bcrypt for hundreds of ms.
 */
export function signJwt(key: JwtSigningKey, typ: string, claims: Record<string, unknown>): string {
  let byType = signers.get(key);
  if (!byType) signers.set(key, (byType = new Map()));
  let signer = byType.get(typ);
  if (!signer) byType.set(typ, (signer = createSigner({ key: key.privateKeyPem, algorithm: key.algorithm, kid: key.kid, header: { alg: key.algorithm, typ } })));
  return signer(claims);
}

/**
 * Verifies synchronously, with everything pinned: the key the `kid` names and only that key's
 * algorithm, `typ`, issuer, audience, required claims and the allowed clock skew, on the caller's
 * clock. Every failure maps to one reason, never a throw.
 */
export function verifyJwt(keys: ReadonlyMap<string, JwtVerificationKey>, token: string, rules: JwtRules): Record<string, unknown> | JwtFailure {
  try {
    const { header } = decodeWithHeader(token) as { header: { kid?: unknown; alg?: unknown } };
    const key = typeof header.kid === 'string' ? keys.get(header.kid) : undefined;
    // A key verifies only its own algorithm, so a token cannot pick a weaker one.
    if (!key || key.algorithm !== header.alg) return 'TOKEN_INVALID';
    const verify = createVerifier({
      key: key.publicKeyPem,
      algorithms: [key.algorithm],
      checkTyp: rules.typ,
      allowedIss: rules.issuer,
      allowedAud: rules.audience,
      requiredClaims: [...rules.requiredClaims],
      // The verifier keeps its clock; a fresh one per call follows the caller's (tests move it).
      clockTimestamp: rules.now.getTime(),
      clockTolerance: rules.clockSkewSeconds * 1000,
    });
    const payload: unknown = verify(token);
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : 'TOKEN_INVALID';
  } catch (error) {
    return error instanceof TokenError && error.code === TokenError.codes.expired ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID';
  }
}
