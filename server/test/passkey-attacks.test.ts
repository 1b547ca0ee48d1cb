import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { graphql, type GraphQLResponse } from '@graphql-auth/test-kit/graphql-request';
import { signUpOverBearer, type AuthPayloadData } from '@graphql-auth/test-kit/operations';
import { createSoftwareAuthenticator, type SoftwareAuthenticator } from '@graphql-auth/test-kit/software-authenticator';
import { addPasskey, loginOptions, logInWithPasskey, passkeysOf, registrationOptions, REMOVE_PASSKEY, RENAME_PASSKEY, sendAssertion, sendRegistration } from '@graphql-auth/test-kit/passkeys';

/** Rows a refused request must not have added or changed. */
async function snapshot(t: TestApp) {
  const em = t.orm.em.fork();
  return {
    passkeys: await em.execute('select id, name, sign_count, last_used_at from passkeys order by id'),
    sessions: await em.execute('select id from sessions order by id'),
  };
}

/** The one refusal of a login with a passkey: no data, no hint of why. */
function expectNotAccepted(response: GraphQLResponse<unknown>) {
  expect(response.status).toBe(200);
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  expect(response.errors?.[0]).toMatchObject({ message: 'This passkey was not accepted.', extensions: { code: 'INVALID_CREDENTIALS', field: 'response' } });
}

function expectRegistrationRefused(response: GraphQLResponse<unknown>) {
  expect(response.data ?? null).toBeNull();
  expect(response.errors?.[0]).toMatchObject({ message: 'This passkey could not be registered; start again.', extensions: { code: 'BAD_USER_INPUT', field: 'response' } });
}

function expectMalformed(response: GraphQLResponse<unknown>) {
  expect(response.data ?? null).toBeNull();
  expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'response' });
  expect(response.text).not.toMatch(/Unexpected error|at [\w.]+ \(|SyntaxError|ZodError/);
}

describe('a passkey login under attack', () => {
  let t: TestApp;
  let owner: AuthPayloadData;
  let authenticator: SoftwareAuthenticator;
  beforeAll(async () => {
    t = await createTestApp();
    owner = (await signUpOverBearer(t.app)).session;
    authenticator = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    await addPasskey(t.app, { token: owner.accessToken! }, authenticator);
  });
  afterAll(() => t.close());

  it('refuses an assertion sent a second time: its challenge was spent', async () => {
    const assertion = authenticator.getAssertion(await loginOptions(t.app));
    expect((await sendAssertion(t.app, assertion, { transport: 'BEARER' })).errors).toBeUndefined();
    const before = await snapshot(t);
    expectNotAccepted(await sendAssertion(t.app, assertion, { transport: 'BEARER' }));
    expect(await snapshot(t)).toEqual(before);
  });

  it('lets exactly one of two identical assertions sent at once log in', async () => {
    const assertion = authenticator.getAssertion(await loginOptions(t.app));
    const answers = await Promise.all([0, 1].map(() => sendAssertion(t.app, assertion, { transport: 'BEARER' })));
    expect(answers.filter((answer) => answer.data?.loginWithPasskey).length).toBe(1);
    expectNotAccepted(answers.find((answer) => answer.errors)!);
  });

  it('refuses an assertion whose challenge expired (5 minutes), then accepts a fresh one', async () => {
    const options = await loginOptions(t.app);
    t.clock.advance(5 * 60_000 + 1000);
    const before = await snapshot(t);
    expectNotAccepted(await sendAssertion(t.app, authenticator.getAssertion(options), { transport: 'BEARER' }));
    expect(await snapshot(t)).toEqual(before);
    expect((await logInWithPasskey(t.app, authenticator, { transport: 'BEARER' })).errors).toBeUndefined();
  });

  it('refuses an assertion made on another origin, for another relying party, or for a challenge never issued', async () => {
    const before = await snapshot(t);
    expectNotAccepted(await logInWithPasskey(t.app, authenticator, { transport: 'BEARER', overrides: { origin: 'https://phishing.example' } }));
    expectNotAccepted(await logInWithPasskey(t.app, authenticator, { transport: 'BEARER', overrides: { origin: 'http://localhost:4001' } }));
    expectNotAccepted(await logInWithPasskey(t.app, authenticator, { transport: 'BEARER', overrides: { rpId: 'phishing.example' } }));
    expectNotAccepted(await logInWithPasskey(t.app, authenticator, { transport: 'BEARER', overrides: { challenge: Buffer.alloc(32, 7).toString('base64url') } }));
    // A registration challenge does not open a login.
    const creation = JSON.parse(await registrationOptions(t.app, { token: owner.accessToken! })) as { challenge: string };
    expectNotAccepted(await logInWithPasskey(t.app, authenticator, { transport: 'BEARER', overrides: { challenge: creation.challenge } }));
    expect(await snapshot(t)).toEqual(before);
  });

  it('refuses a signature counter that goes backwards or stands still, logs a possible clone, and keeps the stored counter', async () => {
    const counterOf = async () => Number((await t.orm.em.fork().execute<{ sign_count: string }[]>('select sign_count from passkeys where user_id = ?', [owner.user.id]))[0]?.sign_count);
    expect((await logInWithPasskey(t.app, authenticator, { transport: 'BEARER' })).errors).toBeUndefined();
    const stored = await counterOf();
    expect(stored).toBeGreaterThan(0);
    const before = await snapshot(t);
    expectNotAccepted(await logInWithPasskey(t.app, authenticator, { transport: 'BEARER', overrides: { signCount: stored - 1 } }));
    expectNotAccepted(await logInWithPasskey(t.app, authenticator, { transport: 'BEARER', overrides: { signCount: stored } }));
    expectNotAccepted(await logInWithPasskey(t.app, authenticator, { transport: 'BEARER', overrides: { signCount: 0 } }));
    expect(await snapshot(t)).toEqual(before);
    expect(await counterOf()).toBe(stored);
    const warnings = t.logs.map((line) => JSON.parse(line) as { level: number; msg: string; presentedCount?: number }).filter((line) => line.level === 40 && line.msg.includes('possibly a cloned authenticator'));
    expect(warnings.map((line) => line.presentedCount)).toEqual([stored - 1, stored, 0]);
    // The genuine authenticator, counting on, still gets in.
    expect((await logInWithPasskey(t.app, authenticator, { transport: 'BEARER' })).errors).toBeUndefined();
  });

  it('refuses a passkey the service does not know, with the same answer', async () => {
    const stranger = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    stranger.createCredential(JSON.parse(await registrationOptions(t.app, { token: ((await signUpOverBearer(t.app)).session).accessToken! })));
    expectNotAccepted(await logInWithPasskey(t.app, stranger, { transport: 'BEARER' }));
  });

  it('refuses an assertion whose user handle is not its account, or is missing', async () => {
    const swapped = authenticator.getAssertion(await loginOptions(t.app));
    expectNotAccepted(await sendAssertion(t.app, { ...swapped, response: { ...swapped.response, userHandle: Buffer.alloc(32, 1).toString('base64url') } }));
    const { userHandle: _dropped, ...withoutHandle } = authenticator.getAssertion(await loginOptions(t.app)).response;
    expectNotAccepted(await sendAssertion(t.app, { ...swapped, response: withoutHandle }));
  });

  it('answers hostile responses with BAD_USER_INPUT on response, never an internal error, and changes nothing', async () => {
    const before = await snapshot(t);
    const genuine = authenticator.getAssertion(await loginOptions(t.app));
    const hostile: unknown[] = [
      'not json',
      '',
      'null',
      '[]',
      '"a string"',
      JSON.stringify({ ...genuine, id: 5 }),
      JSON.stringify({ ...genuine, type: 'password' }),
      JSON.stringify({ ...genuine, rawId: 'AAAA' }),
      JSON.stringify({ ...genuine, response: { ...genuine.response, signature: 'not base64url!' } }),
      JSON.stringify({ ...genuine, response: { ...genuine.response, clientDataJSON: Buffer.from('not json').toString('base64url') } }),
      JSON.stringify({ ...genuine, response: { ...genuine.response, clientDataJSON: Buffer.from('{"challenge":42}').toString('base64url') } }),
      JSON.stringify({ ...genuine, padding: 'x'.repeat(17_000) }),
      JSON.stringify({ ...genuine, response: { ...genuine.response, userHandle: ['AAAA'] } }),
      `{"id":${'['.repeat(5000)}`,
    ];
    for (const response of hostile) expectMalformed(await sendAssertion(t.app, response));
    // GraphQL's own type check: a response that is not a string.
    const wrongType = await graphql(t.app, 'mutation($response: String!) { loginWithPasskey(response: $response) { user { id } } }', { variables: { response: { id: 'x' } } });
    expect(wrongType.errors?.[0]?.message).toMatch(/String/);
    expect(wrongType.text).not.toContain('Unexpected error');
    const withNul = await sendAssertion(t.app, JSON.stringify(genuine).replace('"public-key"', '"public-key\\u0000"'));
    expect(withNul.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    // Larger than a request may be at all: refused before GraphQL runs.
    const huge = await sendAssertion(t.app, 'x'.repeat(1024 * 1024));
    expect(huge.status).toBe(413);
    expect(await snapshot(t)).toEqual(before);
    // The genuine assertion's challenge was never touched by all that.
    expect((await sendAssertion(t.app, genuine, { transport: 'BEARER' })).errors).toBeUndefined();
  });
  it('logs why each refusal happened at info, without the response, its challenge or the credential id', async () => {
    const options = await loginOptions(t.app);
    const challenge = (JSON.parse(options) as { challenge: string }).challenge;
    const assertion = authenticator.getAssertion(options, { origin: 'https://phishing.example' });
    expectNotAccepted(await sendAssertion(t.app, assertion));
    const lines = t.logs.map((line) => JSON.parse(line) as { level: number; msg: string; reason?: string });
    const refusals = lines.filter((line) => line.msg === 'passkey assertion refused');
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((line) => line.level === 30)).toBe(true);
    expect(refusals.at(-1)?.reason).toBe('signature, origin, relying party or user verification refused');
    const everything = t.logs.join('\n');
    for (const secret of [challenge, assertion.id, assertion.response.signature, assertion.response.clientDataJSON, assertion.response.authenticatorData, 'phishing.example']) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('passkey registration under attack', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses a registration response replayed by another account, and still lets its owner finish', async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    const intruder = (await signUpOverBearer(t.app)).session;
    const authenticator = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    const response = authenticator.createCredential(await registrationOptions(t.app, { token: owner.accessToken! }));
    expectRegistrationRefused(await sendRegistration(t.app, { token: intruder.accessToken! }, response));
    expect(await passkeysOf(t.app, intruder.accessToken!)).toEqual([]);
    expect((await sendRegistration(t.app, { token: owner.accessToken! }, response)).errors).toBeUndefined();
    expect(await passkeysOf(t.app, owner.accessToken!)).toHaveLength(1);
  });

  it('refuses a registration response sent twice, and one whose challenge expired', async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    const authenticator = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    const response = authenticator.createCredential(await registrationOptions(t.app, { token: owner.accessToken! }));
    expect((await sendRegistration(t.app, { token: owner.accessToken! }, response)).errors).toBeUndefined();
    expectRegistrationRefused(await sendRegistration(t.app, { token: owner.accessToken! }, response));

    const late = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    const options = await registrationOptions(t.app, { token: owner.accessToken! });
    t.clock.advance(5 * 60_000 + 1000);
    // The access token outlives nothing but this test's clock: sign in afresh, with the passkey (the account's second factor now).
    const again = await logInWithPasskey(t.app, authenticator, { transport: 'BEARER' });
    const fresh = again.data!.loginWithPasskey.accessToken!;
    expectRegistrationRefused(await sendRegistration(t.app, { token: fresh }, late.createCredential(options)));
    expect(await passkeysOf(t.app, fresh)).toHaveLength(1);
  });

  it('adds one passkey when the same registration response is sent twice at once', async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    const token = owner.accessToken!;
    const response = createSoftwareAuthenticator({ origin: t.config.publicOrigin }).createCredential(await registrationOptions(t.app, { token }));
    const answers = await Promise.all([0, 1, 2].map(() => sendRegistration(t.app, { token }, response)));
    expect(answers.filter((answer) => answer.data?.registerPasskey)).toHaveLength(1);
    for (const refused of answers.filter((answer) => answer.errors)) expectRegistrationRefused(refused);
    expect(await passkeysOf(t.app, token)).toHaveLength(1);
  });

  it('holds at most 20 passkeys per account, also when the last ones are registered at once', async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    const token = owner.accessToken!;
    for (let index = 1; index <= 18; index++) await addPasskey(t.app, { token }, createSoftwareAuthenticator({ origin: t.config.publicOrigin }), `Key ${index}`);
    const responses = [];
    for (let index = 0; index < 3; index++) responses.push(createSoftwareAuthenticator({ origin: t.config.publicOrigin }).createCredential(await registrationOptions(t.app, { token })));
    const answers = await Promise.all(responses.map((response) => sendRegistration(t.app, { token }, response)));
    expect(answers.filter((answer) => answer.data?.registerPasskey)).toHaveLength(2);
    const refused = answers.find((answer) => answer.errors);
    expect(refused?.errors?.[0]).toMatchObject({ message: 'An account can hold at most 20 passkeys; remove one first.', extensions: { code: 'BAD_USER_INPUT', field: 'response' } });
    expect(await passkeysOf(t.app, token)).toHaveLength(20);
  });

  it('refuses a registration made on another origin or for another relying party', async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    const token = owner.accessToken!;
    const authenticator = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    expectRegistrationRefused(await sendRegistration(t.app, { token }, authenticator.createCredential(await registrationOptions(t.app, { token }), { origin: 'https://phishing.example' })));
    expectRegistrationRefused(await sendRegistration(t.app, { token }, authenticator.createCredential(await registrationOptions(t.app, { token }), { rpId: 'phishing.example' })));
    expect(await passkeysOf(t.app, token)).toEqual([]);
  });

  it('refuses one credential for a second account, and a response naming another credential than it attests', async () => {
    const first = (await signUpOverBearer(t.app)).session;
    const second = (await signUpOverBearer(t.app)).session;
    const authenticator = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    await addPasskey(t.app, { token: first.accessToken! }, authenticator);
    const taken = authenticator.credentials[0]!.id;
    // An authenticator (or a client) claiming a credential id already registered to someone else.
    const copy = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    expectRegistrationRefused(await sendRegistration(t.app, { token: second.accessToken! }, copy.createCredential(await registrationOptions(t.app, { token: second.accessToken! }), { credentialId: taken })));
    const genuine = copy.createCredential(await registrationOptions(t.app, { token: second.accessToken! }));
    const renamed = { ...genuine, id: taken.toString('base64url'), rawId: taken.toString('base64url') };
    expectRegistrationRefused(await sendRegistration(t.app, { token: second.accessToken! }, renamed));
    expect(await passkeysOf(t.app, second.accessToken!)).toEqual([]);
    // The first account's passkey is untouched and still signs in.
    expect((await logInWithPasskey(t.app, authenticator, { transport: 'BEARER' })).data?.loginWithPasskey.user.id).toBe(first.user.id);
  });

  it('refuses names that are empty, too long, or carry control or invisible characters, before the ceremony is spent', async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    const token = owner.accessToken!;
    const authenticator = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    const response = authenticator.createCredential(await registrationOptions(t.app, { token }));
    for (const name of ['', '   ', 'x'.repeat(65), 'key\u0000', 'key\nname', 'evil\u202Ekey', 'zero\u200Bwidth']) {
      const refused = await sendRegistration(t.app, { token }, response, name);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    }
    // 64 characters, counted as a person counts them.
    const added = await sendRegistration(t.app, { token }, response, '🔑'.repeat(64));
    expect(added.data?.registerPasskey.name).toBe('🔑'.repeat(64));
  });

  it('answers hostile registration responses with BAD_USER_INPUT on response and adds nothing', async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    const token = owner.accessToken!;
    const genuine = createSoftwareAuthenticator({ origin: t.config.publicOrigin }).createCredential(await registrationOptions(t.app, { token }));
    for (const response of ['{', '{}', JSON.stringify({ ...genuine, response: { ...genuine.response, attestationObject: 42 } }), JSON.stringify({ ...genuine, response: { ...genuine.response, transports: 'usb' } }), JSON.stringify({ ...genuine, junk: 'x'.repeat(20_000) })]) {
      expectMalformed(await sendRegistration(t.app, { token }, response));
    }
    const garbled = { ...genuine, response: { ...genuine.response, attestationObject: Buffer.from('not cbor at all').toString('base64url') } };
    expectRegistrationRefused(await sendRegistration(t.app, { token }, garbled));
    expect(await passkeysOf(t.app, token)).toEqual([]);
  });
});

describe("someone else's passkey", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('cannot be renamed or removed: FORBIDDEN, the same as for an id that does not exist, and it stays as it was', async () => {
    const owner = (await signUpOverBearer(t.app)).session;
    const stranger = (await signUpOverBearer(t.app)).session;
    const passkey = await addPasskey(t.app, { token: owner.accessToken! }, createSoftwareAuthenticator({ origin: t.config.publicOrigin }), 'Mine');
    for (const id of [passkey.id, passkey.id.toUpperCase(), crypto.randomUUID(), 'not-a-uuid', "1' or '1'='1"]) {
      const rename = await graphql(t.app, RENAME_PASSKEY, { token: stranger.accessToken!, variables: { id, name: 'Stolen' } });
      expect(rename.errors?.[0]).toMatchObject({ message: 'You can only change your own passkeys.', extensions: { code: 'FORBIDDEN' } });
      const remove = await graphql(t.app, REMOVE_PASSKEY, { token: stranger.accessToken!, variables: { id } });
      expect(remove.errors?.[0]).toMatchObject({ message: 'You can only change your own passkeys.', extensions: { code: 'FORBIDDEN' } });
    }
    expect(await passkeysOf(t.app, owner.accessToken!)).toEqual([passkey]);
    // Its owner may spell the id in capitals.
    expect((await graphql(t.app, REMOVE_PASSKEY, { token: owner.accessToken!, variables: { id: passkey.id.toUpperCase() } })).data).toEqual({ removePasskey: true });
  });
});

