import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { createCookieJar } from '@graphql-auth/test-kit/cookie-jar';
import { graphql } from '@graphql-auth/test-kit/graphql-request';
import { DELETE_ACCOUNT, ME, newAccount, signUpOverBearer } from '@graphql-auth/test-kit/operations';
import { createSoftwareAuthenticator } from '@graphql-auth/test-kit/software-authenticator';
import { addPasskey, loginOptions, logInWithPasskey, PASSKEYS, passkeysOf, registrationOptions, REMOVE_PASSKEY, RENAME_PASSKEY, sendAssertion, sendRegistration, type PasskeyData } from '@graphql-auth/test-kit/passkeys';
import { passkeyAuthenticationOptions, verifyPasskeyAssertion, type CeremonyContext } from '../src/auth/passkey-authentication.ts';
import { createLogger } from '../src/logger.ts';

describe('passkeys of a signed-in account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('are registered, listed, renamed and removed', async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    const token = owner.accessToken!;
    const authenticator = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    expect(await passkeysOf(t.app, token)).toEqual([]);

    const added = await addPasskey(t.app, { token }, authenticator, '  YubiKey 5  ');
    expect(added).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'YubiKey 5', createdAt: t.clock.now().toISOString(), lastUsedAt: null });
    expect(await passkeysOf(t.app, token)).toEqual([added]);

    const renamed = await graphql<{ renamePasskey: PasskeyData }>(t.app, RENAME_PASSKEY, { token, variables: { id: added.id, name: 'Keyring' } });
    expect(renamed.data?.renamePasskey).toEqual({ ...added, name: 'Keyring' });
    expect(await passkeysOf(t.app, token)).toEqual([{ ...added, name: 'Keyring' }]);

    const removed = await graphql<{ removePasskey: boolean }>(t.app, REMOVE_PASSKEY, { token, variables: { id: added.id } });
    expect(removed.data?.removePasskey).toBe(true);
    expect(await passkeysOf(t.app, token)).toEqual([]);
    // Removed means it signs in no more.
    const login = await logInWithPasskey(t.app, authenticator, { transport: 'BEARER' });
    expect(login.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS', field: 'response' });
  });

  it('sign in alone, without an email, with bearer tokens and with cookies', async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    const authenticator = createSoftwareAuthenticator({ origin: t.config.publicOrigin, algorithm: 'EdDSA', backupEligible: true });
    const passkey = await addPasskey(t.app, { token: owner.accessToken! }, authenticator);

    const bearer = await logInWithPasskey(t.app, authenticator, { transport: 'BEARER' });
    expect(bearer.errors).toBeUndefined();
    expect(bearer.data?.loginWithPasskey.user).toEqual({ id: owner.user.id, email: owner.user.email });
    expect((await graphql<{ me: { id: string } }>(t.app, ME, { token: bearer.data!.loginWithPasskey.accessToken! })).data?.me.id).toBe(owner.user.id);

    const jar = createCookieJar();
    const cookie = await logInWithPasskey(t.app, authenticator, { jar });
    expect(cookie.errors).toBeUndefined();
    expect(cookie.data?.loginWithPasskey).toMatchObject({ user: { id: owner.user.id }, accessToken: null, refreshToken: null });
    expect(jar.names().sort()).toEqual(['access-token', 'device', 'refresh-token']);
    expect((await graphql<{ me: { id: string } }>(t.app, ME, { jar })).data?.me.id).toBe(owner.user.id);

    t.clock.advance(1000);
    await logInWithPasskey(t.app, authenticator, { transport: 'BEARER' });
    expect((await passkeysOf(t.app, owner.accessToken!))?.[0]).toEqual({ ...passkey, lastUsedAt: t.clock.now().toISOString() });
  });
});

describe('the ceremonies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ APP_NAME: 'Passkey Test' });
  });
  afterAll(() => t.close());

  it('ask for a discoverable passkey with a verified user, bound to the host of PUBLIC_ORIGIN, under a random user handle', async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    const authenticator = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    const first = await addPasskey(t.app, { token: owner.accessToken! }, authenticator);
    const text = await registrationOptions(t.app, { token: owner.accessToken! });
    const options = JSON.parse(text) as {
      rp: { id: string; name: string };
      user: { id: string; name: string; displayName: string };
      authenticatorSelection: Record<string, unknown>;
      excludeCredentials: { id: string }[];
      pubKeyCredParams: { alg: number }[];
      attestation: string;
      timeout: number;
    };
    expect(options.rp).toEqual({ id: 'localhost', name: 'Passkey Test' });
    expect(options.user.name).toBe(owner.user.email);
    const handle = Buffer.from(options.user.id, 'base64url');
    expect(handle).toHaveLength(32);
    expect(handle.toString('utf8')).not.toContain(owner.user.email);
    expect(options.user.id).not.toContain(owner.user.id);
    expect(handle.toString('hex')).not.toBe(owner.user.id.replaceAll('-', ''));
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', requireResidentKey: true, userVerification: 'required' });
    // The authenticator already registered is excluded, so it is not registered twice.
    expect(options.excludeCredentials.map((descriptor) => descriptor.id)).toEqual([authenticator.credentials[0]!.id.toString('base64url')]);
    expect(() => authenticator.createCredential(text)).toThrow(/InvalidStateError/);
    expect(options.pubKeyCredParams.map((param) => param.alg)).toEqual([-8, -7, -257]);
    expect(options.attestation).toBe('none');
    expect(options.timeout).toBe(5 * 60_000);
    expect(first.name).toBe('Security key');
    // The same handle every time, so the authenticator keeps one account's passkeys together.
    expect(JSON.parse(await registrationOptions(t.app, { token: owner.accessToken! })).user.id).toBe(options.user.id);
  });

  it('for a login name no credential, so the browser offers the passkeys it holds for the site', async () => {
    const options = JSON.parse(await loginOptions(t.app)) as { rpId: string; allowCredentials?: unknown[]; userVerification: string; challenge: string };
    expect(options.rpId).toBe('localhost');
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe('required');
    expect(Buffer.from(options.challenge, 'base64url').length).toBeGreaterThanOrEqual(32);
  });

  it('are finished by a second instance after the first one began them', async () => {
    const peer = await t.createPeer();
    try {
      const owner = (await signUpOverBearer(t.app)).session;
      const authenticator = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
      const creation = await registrationOptions(t.app, { token: owner.accessToken! });
      const registered = await sendRegistration(peer.app, { token: owner.accessToken! }, authenticator.createCredential(creation));
      expect(registered.errors).toBeUndefined();

      const request = await loginOptions(peer.app);
      const login = await sendAssertion(t.app, authenticator.getAssertion(request), { transport: 'BEARER' });
      expect(login.errors).toBeUndefined();
      expect(login.data?.loginWithPasskey.user.id).toBe(owner.user.id);
    } finally {
      await peer.close();
    }
  });

  it('refuse a login without a verified user, and a passkey signed by another key', async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    const authenticator = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    await addPasskey(t.app, { token: owner.accessToken! }, authenticator);
    const unverified = await logInWithPasskey(t.app, authenticator, { transport: 'BEARER', overrides: { userVerified: false } });
    expect(unverified.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_CREDENTIALS', field: 'response' });

    // Another authenticator claims the registered credential id, but signs with its own key.
    const impostor = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    impostor.createCredential(JSON.parse(await registrationOptions(t.app, { token: ((await signUpOverBearer(t.app)).session).accessToken! })));
    impostor.credentials[0]!.id = authenticator.credentials[0]!.id;
    impostor.credentials[0]!.userHandle = authenticator.credentials[0]!.userHandle;
    const forged = await logInWithPasskey(t.app, impostor, { transport: 'BEARER' });
    expect(forged.errors?.[0]).toMatchObject({ message: unverified.errors?.[0]?.message, extensions: { code: 'INVALID_CREDENTIALS' } });
    expect(forged.data).toBeNull();
    expect((await logInWithPasskey(t.app, authenticator, { transport: 'BEARER' })).errors).toBeUndefined();
  });

  it('refuse a registration without a verified user, and answer UNAUTHENTICATED to a caller who is not logged in', async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    const authenticator = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    const options = await registrationOptions(t.app, { token: owner.accessToken! });
    const refused = await sendRegistration(t.app, { token: owner.accessToken! }, authenticator.createCredential(options, { userVerified: false }));
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'response' });
    expect(await passkeysOf(t.app, owner.accessToken!)).toEqual([]);

    for (const query of [PASSKEYS, 'mutation { passkeyRegistrationOptions }', 'mutation { removePasskey(id: "00000000-0000-4000-8000-000000000000") }']) {
      const anonymous = await graphql(t.app, query);
      expect(anonymous.status).toBe(401);
      expect(anonymous.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' });
    }
  });

  it('log in with a passkey of an authenticator that never counts its signatures', async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    const authenticator = createSoftwareAuthenticator({ origin: t.config.publicOrigin, countsSignatures: false });
    await addPasskey(t.app, { token: owner.accessToken! }, authenticator);
    for (let attempt = 0; attempt < 3; attempt++) expect((await logInWithPasskey(t.app, authenticator, { transport: 'BEARER' })).errors).toBeUndefined();
  });

  it('are gone with the account: deleting it deletes its passkeys and its user handle', async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    await addPasskey(t.app, { token: owner.accessToken! }, createSoftwareAuthenticator({ origin: t.config.publicOrigin }));
    const deleted = await graphql<{ deleteAccount: boolean }>(t.app, DELETE_ACCOUNT, { token: owner.accessToken!, variables: { currentPassword: newAccount().password } });
    expect(deleted.data?.deleteAccount).toBe(true);
    const em = t.orm.em.fork();
    expect(await em.execute('select 1 from passkeys where user_id = ?', [owner.user.id])).toEqual([]);
    expect(await em.execute('select 1 from webauthn_user_handles where user_id = ?', [owner.user.id])).toEqual([]);
  });
});

describe('the functions a second factor builds on', () => {
  let t: TestApp;
  let context: CeremonyContext;
  beforeAll(async () => {
    t = await createTestApp();
    context = { em: () => t.orm.em.fork(), config: t.config, now: t.clock.now, logger: createLogger('silent') };
  });
  afterAll(() => t.close());

  it("verifyPasskeyAssertion accepts the expected account's passkey against options issued for that account, and names it", async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    const authenticator = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    await addPasskey(t.app, { token: owner.accessToken! }, authenticator);
    const options = await passkeyAuthenticationOptions(context, { userId: owner.user.id });
    expect(options.allowCredentials?.map((descriptor) => descriptor.id)).toEqual([authenticator.credentials[0]!.id.toString('base64url')]);
    expect(options.userVerification).toBe('required');
    const assertion = JSON.stringify(authenticator.getAssertion(options));
    expect(await verifyPasskeyAssertion(context, assertion, { expectedUserId: owner.user.id })).toEqual({ userId: owner.user.id, credentialId: authenticator.credentials[0]!.id.toString('base64url') });
    await expect(verifyPasskeyAssertion(context, assertion, { expectedUserId: owner.user.id })).rejects.toMatchObject({ extensions: { code: 'INVALID_CREDENTIALS', field: 'response' } });
  });

  it("refuses another account's passkey, and keeps challenges for one account and for a discoverable login apart", async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    const other = (await signUpOverBearer(t.app)).session;
    const ownersKey = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    const othersKey = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    await addPasskey(t.app, { token: owner.accessToken! }, ownersKey);
    await addPasskey(t.app, { token: other.accessToken! }, othersKey);
    const refused = { extensions: { code: 'INVALID_CREDENTIALS' } };

    // The other account's passkey, against a challenge issued for the owner.
    const forOwner = await passkeyAuthenticationOptions(context, { userId: owner.user.id });
    await expect(verifyPasskeyAssertion(context, JSON.stringify(othersKey.getAssertion({ ...forOwner, allowCredentials: [] })), { expectedUserId: owner.user.id })).rejects.toMatchObject(refused);
    // A challenge issued for the other account does not serve the owner's second factor.
    const forOther = await passkeyAuthenticationOptions(context, { userId: other.user.id });
    await expect(verifyPasskeyAssertion(context, JSON.stringify(ownersKey.getAssertion({ ...forOther, allowCredentials: [] })), { expectedUserId: owner.user.id })).rejects.toMatchObject(refused);
    // Nor does a discoverable login's challenge, nor the other way round.
    const discoverable = await passkeyAuthenticationOptions(context);
    await expect(verifyPasskeyAssertion(context, JSON.stringify(ownersKey.getAssertion(discoverable)), { expectedUserId: owner.user.id })).rejects.toMatchObject(refused);
    const again = await passkeyAuthenticationOptions(context, { userId: owner.user.id });
    await expect(verifyPasskeyAssertion(context, JSON.stringify(ownersKey.getAssertion(again)))).rejects.toMatchObject(refused);
    expect(await verifyPasskeyAssertion(context, JSON.stringify(ownersKey.getAssertion(await passkeyAuthenticationOptions(context))))).toMatchObject({ userId: owner.user.id });
  });
});
