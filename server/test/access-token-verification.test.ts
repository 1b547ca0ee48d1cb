import {
  base64url,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { graphql, type GraphQLResponse } from '@graphql-auth/test-kit/graphql-request';
import { ME, newAccount, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';

type KeyCurve = { alg: 'EdDSA'; crv: 'Ed25519' } | { alg: 'ES256'; crv: 'P-256' };

/** A private signing key as `JWT_PRIVATE_KEYS` carries it, and the same key ready to sign with. */
async function signingKey({ alg, crv }: KeyCurve = { alg: 'EdDSA', crv: 'Ed25519' }) {
  const { privateKey } = await generateKeyPair(alg, { crv, extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: crypto.randomUUID() };
  return { jwk, kid: jwk.kid!, alg, key: privateKey };
}

function configuredKeys(...jwks: JWK[]): Record<string, string> {
  return { JWT_PRIVATE_KEYS: JSON.stringify({ keys: jwks }) };
}

async function signupWithBearer(t: TestApp): Promise<{ accessToken: string; userId: string }> {
  const response = await graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input: newAccount(), transport: 'BEARER' } });
  expect(response.errors).toBeUndefined();
  const { accessToken, user } = response.data!.signup;
  expect(accessToken).toBeTruthy();
  return { accessToken: accessToken!, userId: user.id };
}

async function fetchJwks(t: TestApp): Promise<{ keys: JWK[] }> {
  const response = await t.app.fetch('http://localhost:4000/.well-known/jwks.json');
  expect(response.status).toBe(200);
  return (await response.json()) as { keys: JWK[] };
}

/** Sends `me` with exactly this Authorization header. */
function meWithAuthorization(t: TestApp, authorization: string) {
  return graphql<{ me: { id: string } }>(t.app, ME, { headers: { authorization } });
}

function expectRejected(response: GraphQLResponse<unknown>, reason = 'TOKEN_INVALID') {
  expect(response.status).toBe(401);
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  expect(response.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason });
}

function without(claims: JWTPayload, claim: string): JWTPayload {
  const copy = { ...claims };
  delete copy[claim];
  return copy;
}

const encodeJson = (value: unknown) => base64url.encode(JSON.stringify(value));

describe('access token verification with a configured Ed25519 key', () => {
  let t: TestApp;
  let serverKey: Awaited<ReturnType<typeof signingKey>>;
  let genuine: string;
  let genuineClaims: JWTPayload;
  let otherUserId: string;

  const nowSeconds = () => Math.floor(t.clock.now().getTime() / 1000);

  /** A token with the genuine claims (and a fresh jti) and header, each overridable, signed by the server's key unless told. */
  function forge({
    claims = {},
    header = {},
    key = serverKey.key,
  }: { claims?: JWTPayload; header?: Partial<JWTHeaderParameters>; key?: CryptoKey | Uint8Array } = {}) {
    const payload = { ...genuineClaims, jti: crypto.randomUUID(), iat: nowSeconds(), exp: nowSeconds() + 600, ...claims };
    return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: serverKey.kid, typ: 'at+jwt', ...header }).sign(key);
  }

  /** Like `forge`, but the payload is exactly `payload`: claims can be left out. */
  function forgeExactly(payload: JWTPayload) {
    return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: serverKey.kid, typ: 'at+jwt' }).sign(serverKey.key);
  }

  beforeAll(async () => {
    serverKey = await signingKey();
    t = await createTestApp(configuredKeys(serverKey.jwk));
    const signup = await signupWithBearer(t);
    genuine = signup.accessToken;
    genuineClaims = decodeJwt(genuine);
    otherUserId = (await signupWithBearer(t)).userId;
  });
  afterAll(() => t.close());

  describe('tokens it accepts', () => {
    it('signs with the configured key, pins typ at+jwt, and carries every required claim', async () => {
      expect(decodeProtectedHeader(genuine)).toEqual({ alg: 'EdDSA', kid: serverKey.kid, typ: 'at+jwt' });
      expect(Object.keys(genuineClaims).sort()).toEqual(['amr', 'aud', 'auth_time', 'exp', 'iat', 'iss', 'jti', 'sid', 'sub']);
      // A password sign-up: one factor, proven when the session started.
      expect(genuineClaims.amr).toEqual(['pwd']);
      expect(genuineClaims.auth_time).toBe(genuineClaims.iat);
      expect(genuineClaims.iss).toBe(t.config.publicOrigin);
      expect(genuineClaims.aud).toBe(`${t.config.publicOrigin}/graphql`);

      const me = await graphql<{ me: { id: string } }>(t.app, ME, { token: genuine });
      expect(me.status).toBe(200);
      expect(me.data?.me.id).toBe(genuineClaims.sub);
    });

    it('accepts a token forged here with the genuine claims and header, so every rejection below comes from the one thing changed', async () => {
      const me = await graphql<{ me: { id: string } }>(t.app, ME, { token: await forge() });
      expect(me.errors).toBeUndefined();
      expect(me.data?.me.id).toBe(genuineClaims.sub);
    });

    it('tolerates up to 5 s of clock skew: a token expired 4 s ago or not valid for another 4 s still works', async () => {
      const expiredWithinSkew = await forge({ claims: { iat: nowSeconds() - 600, exp: nowSeconds() - 4 } });
      const notYetValidWithinSkew = await forge({ claims: { iat: nowSeconds() + 4, nbf: nowSeconds() + 4 } });
      for (const token of [expiredWithinSkew, notYetValidWithinSkew]) {
        const me = await graphql<{ me: { id: string } }>(t.app, ME, { token });
        expect(me.errors).toBeUndefined();
        expect(me.data?.me.id).toBe(genuineClaims.sub);
      }
    });
  });

  describe('tokens it refuses with TOKEN_INVALID', () => {
    it('refuses alg none (an unsecured JWT with the genuine claims)', async () => {
      const unsecured = `${encodeJson({ alg: 'none', typ: 'at+jwt', kid: serverKey.kid })}.${encodeJson(genuineClaims)}.`;
      expectRejected(await meWithAuthorization(t, `Bearer ${unsecured}`));
      const unsecuredWithoutKid = `${encodeJson({ alg: 'none' })}.${encodeJson(genuineClaims)}.`;
      expectRejected(await meWithAuthorization(t, `Bearer ${unsecuredWithoutKid}`));
    });

    it('refuses HS256 tokens keyed with the public key published in the JWKS (algorithm confusion)', async () => {
      const [published] = (await fetchJwks(t)).keys;
      expect(published?.kid).toBe(serverKey.kid);
      const secrets = [
        new TextEncoder().encode(JSON.stringify(published)),
        base64url.decode(published!.x!),
        new TextEncoder().encode(published!.x!),
      ];
      for (const secret of secrets) {
        const token = await forge({ header: { alg: 'HS256' }, key: secret });
        expectRejected(await meWithAuthorization(t, `Bearer ${token}`));
      }
    });

    it('refuses a token signed by a different Ed25519 key under the genuine kid', async () => {
      const attacker = await signingKey();
      expectRejected(await meWithAuthorization(t, `Bearer ${await forge({ key: attacker.key })}`));
    });

    it('refuses a token that embeds its own signing key in the header (jwk) under the genuine kid', async () => {
      const attacker = await signingKey();
      const { d: _private, ...attackerPublic } = attacker.jwk;
      const token = await forge({ header: { jwk: attackerPublic }, key: attacker.key });
      expectRejected(await meWithAuthorization(t, `Bearer ${token}`));
    });

    it('refuses an unknown kid and a missing kid, even with a valid signature', async () => {
      expectRejected(await meWithAuthorization(t, `Bearer ${await forge({ header: { kid: crypto.randomUUID() } })}`));
      const noKid = await new SignJWT({ ...genuineClaims, jti: crypto.randomUUID() })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' })
        .sign(serverKey.key);
      expectRejected(await meWithAuthorization(t, `Bearer ${noKid}`));
    });

    it('refuses the wrong audience, including an audience list without ours', async () => {
      for (const aud of ['https://other.example.com/graphql', t.config.publicOrigin, ['https://other.example.com/graphql']]) {
        expectRejected(await meWithAuthorization(t, `Bearer ${await forge({ claims: { aud } })}`));
      }
    });

    it('refuses the wrong issuer', async () => {
      for (const iss of ['https://evil.example.com', `${t.config.publicOrigin}/`]) {
        expectRejected(await meWithAuthorization(t, `Bearer ${await forge({ claims: { iss } })}`));
      }
    });

    it('refuses a typ other than at+jwt, and a missing typ', async () => {
      for (const typ of ['JWT', 'id_token+jwt']) {
        expectRejected(await meWithAuthorization(t, `Bearer ${await forge({ header: { typ } })}`));
      }
      const noTyp = await new SignJWT({ ...genuineClaims, jti: crypto.randomUUID() })
        .setProtectedHeader({ alg: 'EdDSA', kid: serverKey.kid })
        .sign(serverKey.key);
      expectRejected(await meWithAuthorization(t, `Bearer ${noTyp}`));
    });

    it.each(['exp', 'iat', 'sub', 'sid', 'jti'] as const)('refuses a validly signed token without %s', async (claim) => {
      const complete = { ...genuineClaims, jti: crypto.randomUUID(), iat: nowSeconds(), exp: nowSeconds() + 600 };
      expectRejected(await meWithAuthorization(t, `Bearer ${await forgeExactly(without(complete, claim))}`));
    });

    it('refuses a validly signed token whose sid is not a string', async () => {
      expectRejected(await meWithAuthorization(t, `Bearer ${await forge({ claims: { sid: 42 } })}`));
    });

    it('refuses a validly signed token whose sub is not a user id, rather than failing with a 500', async () => {
      // Only a holder of the signing key can mint this, but section 4 says every malformed input is TOKEN_INVALID.
      const response = await meWithAuthorization(t, `Bearer ${await forge({ claims: { sub: 'not-a-uuid' } })}`);
      expect(response.errors?.[0]?.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
      expectRejected(response);
    });

    it('refuses a tampered payload that keeps the original signature', async () => {
      const [header, , signature] = genuine.split('.');
      for (const claims of [
        { ...genuineClaims, sub: otherUserId },
        { ...genuineClaims, exp: (genuineClaims.exp ?? 0) + 86_400 },
      ]) {
        expectRejected(await meWithAuthorization(t, `Bearer ${header}.${encodeJson(claims)}.${signature}`));
      }
    });

    it.each([
      ['abc', 'abc'],
      ['a.b.c', 'a.b.c'],
      ['two dots and nothing else', '..'],
      ['empty header and signature', '.e30.'],
      ['a genuine header and payload with an empty signature', () => genuine.split('.').slice(0, 2).join('.') + '.'],
      ['a genuine token with a segment too many', () => `${genuine}.${genuine.split('.')[2]}`],
      ['a payload that is not JSON', () => `${genuine.split('.')[0]}.${base64url.encode('not json')}.${genuine.split('.')[2]}`],
      ['a payload that is a JSON array', () => `${genuine.split('.')[0]}.${encodeJson([1, 2])}.${genuine.split('.')[2]}`],
      ['a 10 kB string', 'a'.repeat(10_240)],
      ['a 10 kB string with dots', `${'a'.repeat(4000)}.${'b'.repeat(4000)}.${'c'.repeat(2240)}`],
    ])('refuses garbage: %s', async (_name, token) => {
      const value = typeof token === 'function' ? token() : token;
      expectRejected(await meWithAuthorization(t, `Bearer ${value}`));
    });

    it.each([
      ['an empty bearer token', 'Bearer '],
      ['the bare scheme', 'Bearer'],
      ['characters outside the token alphabet', 'Bearer abc def'],
      ['non-ASCII characters', 'Bearer tökén'],
    ])('refuses a malformed Authorization header: %s', async (_name, authorization) => {
      expectRejected(await meWithAuthorization(t, authorization));
    });

    it('refuses a token not valid before (nbf) more than 5 s from now', async () => {
      const token = await forge({ claims: { nbf: nowSeconds() + 60 } });
      expectRejected(await meWithAuthorization(t, `Bearer ${token}`));
    });

    it('refuses a token issued (iat) more than 5 s in the future', async () => {
      // Section 4 allows at most 5 s of clock skew. A token "issued" an hour from now would also
      // outlive both the 15-minute lifetime and the revocation list's memory of its session.
      const token = await forge({ claims: { iat: nowSeconds() + 3600, exp: nowSeconds() + 3600 + 900 } });
      expectRejected(await meWithAuthorization(t, `Bearer ${token}`));
    });
  });

  it('answers TOKEN_EXPIRED, not TOKEN_INVALID, for a genuine token expired more than 5 s ago', async () => {
    const token = await forge({ claims: { iat: nowSeconds() - 900, exp: nowSeconds() - 6 } });
    expectRejected(await meWithAuthorization(t, `Bearer ${token}`), 'TOKEN_EXPIRED');
  });

  it('publishes only the public half of the configured key at /.well-known/jwks.json', async () => {
    const { keys } = await fetchJwks(t);
    expect(keys).toHaveLength(1);
    const [published] = keys;
    expect(published).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: serverKey.kid, x: serverKey.jwk.x, alg: 'EdDSA', use: 'sig' });
    expect(published).not.toHaveProperty('d');
    expect(JSON.stringify(keys)).not.toContain(serverKey.jwk.d!);
  });

  it('verifies a genuine token against the published JWKS alone, as a resource server would', async () => {
    const [published] = (await fetchJwks(t)).keys;
    const { payload } = await jwtVerify(genuine, await importJWK(published!, 'EdDSA'), {
      issuer: t.config.publicOrigin,
      audience: `${t.config.publicOrigin}/graphql`,
      typ: 'at+jwt',
      currentDate: t.clock.now(),
    });
    expect(payload.sub).toBe(genuineClaims.sub);
  });
});

describe('access token verification with a configured P-256 key', () => {
  let t: TestApp;
  let serverKey: Awaited<ReturnType<typeof signingKey>>;

  beforeAll(async () => {
    serverKey = await signingKey({ alg: 'ES256', crv: 'P-256' });
    t = await createTestApp(configuredKeys(serverKey.jwk));
  });
  afterAll(() => t.close());

  it('signs with ES256 and accepts its own token', async () => {
    const { accessToken, userId } = await signupWithBearer(t);
    expect(decodeProtectedHeader(accessToken)).toEqual({ alg: 'ES256', kid: serverKey.kid, typ: 'at+jwt' });
    const me = await graphql<{ me: { id: string } }>(t.app, ME, { token: accessToken });
    expect(me.status).toBe(200);
    expect(me.data?.me.id).toBe(userId);
  });

  it('publishes the P-256 public key only', async () => {
    const { keys } = await fetchJwks(t);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', kid: serverKey.kid, x: serverKey.jwk.x, y: serverKey.jwk.y, alg: 'ES256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('refuses an EdDSA token under the P-256 kid, so a token cannot pick the algorithm', async () => {
    const { accessToken } = await signupWithBearer(t);
    const claims = decodeJwt(accessToken);
    const attacker = await signingKey();
    const token = await new SignJWT({ ...claims, jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'EdDSA', kid: serverKey.kid, typ: 'at+jwt' })
      .sign(attacker.key);
    expectRejected(await meWithAuthorization(t, `Bearer ${token}`));
  });
});

describe('access token verification across a key rotation', () => {
  let t: TestApp;
  let current: Awaited<ReturnType<typeof signingKey>>;
  let previous: Awaited<ReturnType<typeof signingKey>>;

  beforeAll(async () => {
    current = await signingKey();
    previous = await signingKey({ alg: 'ES256', crv: 'P-256' });
    t = await createTestApp(configuredKeys(current.jwk, previous.jwk));
  });
  afterAll(() => t.close());

  it('signs with the first key, still accepts tokens of the second, and publishes both public keys', async () => {
    const { accessToken, userId } = await signupWithBearer(t);
    expect(decodeProtectedHeader(accessToken).kid).toBe(current.kid);

    const fromPrevious = await new SignJWT({ ...decodeJwt(accessToken), jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: previous.kid, typ: 'at+jwt' })
      .sign(previous.key);
    const me = await graphql<{ me: { id: string } }>(t.app, ME, { token: fromPrevious });
    expect(me.data?.me.id).toBe(userId);

    const { keys } = await fetchJwks(t);
    expect(keys.map((key) => key.kid)).toEqual([current.kid, previous.kid]);
    for (const key of keys) expect(key).not.toHaveProperty('d');
  });
});

describe('access token verification with a key generated and kept in the database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('signs with the published Ed25519 key and publishes no private part', async () => {
    const { accessToken } = await signupWithBearer(t);
    const { keys } = await fetchJwks(t);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: decodeProtectedHeader(accessToken).kid });
    expect(keys[0]).not.toHaveProperty('d');
  });
});
