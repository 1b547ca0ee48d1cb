import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { graphql } from '@graphql-auth/test-kit/graphql-request';
import { ME, newAccount, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';
import { hotPool, type HotPool, type HotStatement } from '../src/database/hot-statements.ts';
import { createProfileCache } from '../src/user/profile-cache.ts';

const UPDATE_NAME = 'mutation($name: String) { updateProfile(name: $name) { name } }';

describe('the profile `me` answers with, kept per instance', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await createTestApp();
    b = await a.createPeer();
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const nameOn = async (instance: TestApp, token: string) => (await graphql<{ me: { name: string } }>(instance.app, ME, { token })).data?.me.name;

  it('shows an edit at once on the instance that made it, and on another within a second', async () => {
    const signup = await graphql<{ signup: AuthPayloadData }>(a.app, SIGNUP, { variables: { input: newAccount({ name: 'Before' }), transport: 'BEARER' } });
    const token = signup.data!.signup.accessToken!;
    // Both instances have read, and kept, the profile.
    expect(await nameOn(a, token)).toBe('Before');
    expect(await nameOn(b, token)).toBe('Before');

    await graphql(b.app, UPDATE_NAME, { token, variables: { name: 'After' } });
    expect(await nameOn(b, token)).toBe('After');

    const editedAt = performance.now();
    let seen = await nameOn(a, token);
    while (seen !== 'After' && performance.now() - editedAt < 1000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = await nameOn(a, token);
    }
    expect(seen).toBe('After');
  });

  it("answers from memory: a change written behind the service's back is not seen until the copy expires", async () => {
    const signup = await graphql<{ signup: AuthPayloadData }>(a.app, SIGNUP, { variables: { input: newAccount({ name: 'Kept' }), transport: 'BEARER' } });
    const token = signup.data!.signup.accessToken!;
    expect(await nameOn(a, token)).toBe('Kept');
    await a.orm.em.fork().execute(`update users set name = 'Changed unannounced' where id = ?`, [signup.data!.signup.user.id]);
    expect(await nameOn(a, token)).toBe('Kept');
    // A minute bounds what a lost notification could leave stale.
    a.clock.advance(61_000);
    expect(await nameOn(a, token)).toBe('Changed unannounced');
  });

  it('still answers SESSION_REVOKED for a user who is gone', async () => {
    const signup = await graphql<{ signup: AuthPayloadData }>(a.app, SIGNUP, { variables: { input: newAccount(), transport: 'BEARER' } });
    const token = signup.data!.signup.accessToken!;
    await a.orm.em.fork().execute('delete from users where id = ?', [signup.data!.signup.user.id]);
    a.clock.advance(61_000);
    const me = await graphql(a.app, ME, { token });
    expect(me.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('does not keep a profile read while a change committed: the next read sees the change', async () => {
    const signup = await graphql<{ signup: AuthPayloadData }>(a.app, SIGNUP, { variables: { input: newAccount({ name: 'Old' }), transport: 'BEARER' } });
    const userId = signup.data!.signup.user.id;
    const pool = hotPool(await a.orm.driver.getConnection().getNativeClient(), { prepared: false });
    // The real pool, with the first read's answer held back until the test lets it go.
    let letGo: () => void = () => {};
    const held = new Promise<void>((resolve) => (letGo = resolve));
    let reads = 0;
    const slowFirstRead: HotPool = {
      async run<Row>(statement: HotStatement) {
        const result = await pool.run<Row>(statement);
        if (++reads === 1) await held;
        return result;
      },
    };
    const cache = createProfileCache();
    const inFlight = cache.read(slowFirstRead, userId, a.clock.now());
    while (reads === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // The change commits and is announced while the old row is on its way.
    await a.orm.em.fork().execute(`update users set name = 'New' where id = ?`, [userId]);
    cache.forget(userId);
    letGo();
    expect((await inFlight)?.name).toBe('Old');
    expect((await cache.read(slowFirstRead, userId, a.clock.now()))?.name).toBe('New');
  });
});
