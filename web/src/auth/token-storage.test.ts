import { describe, expect, it } from 'vitest';
import { parseStoredSession, webTokenStorage } from './token-storage.ts';

describe('token storage', () => {
  it('reads back what it wrote', () => {
    const items = new Map<string, string>();
    const storage = webTokenStorage({ getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value), removeItem: (key) => void items.delete(key) }, 'session');
    const session = { user: { id: 'u1' }, accessTokenExpiresAt: '2030-01-01T00:00:00.000Z', refreshTokenExpiresAt: null, accessToken: 'a', refreshToken: 'r' };
    void storage.save(session);
    expect(storage.load()).toEqual(session);
    void storage.clear();
    expect(storage.load()).toBeNull();
  });

  it('keeps only the user id of a session stored with more (an older version stored the email and name)', () => {
    const stored = { user: { id: 'u1', email: 'a@example.com', name: 'Ada' }, accessTokenExpiresAt: null, refreshTokenExpiresAt: null, accessToken: null, refreshToken: null };
    expect(parseStoredSession(stored)?.user).toEqual({ id: 'u1' });
  });

  it('ignores what it did not write: bad JSON, wrong shapes', () => {
    const storage = webTokenStorage({ getItem: () => '{not json', setItem: () => undefined, removeItem: () => undefined });
    expect(storage.load()).toBeNull();
    expect(parseStoredSession(null)).toBeNull();
    expect(parseStoredSession({ user: { id: 7 }, accessTokenExpiresAt: null, refreshTokenExpiresAt: null, accessToken: null, refreshToken: null })).toBeNull();
    expect(parseStoredSession({ user: null, accessTokenExpiresAt: 5, refreshTokenExpiresAt: null, accessToken: null, refreshToken: null })).toBeNull();
    expect(parseStoredSession({ user: null, accessTokenExpiresAt: null, refreshTokenExpiresAt: null, accessToken: null })).toBeNull();
  });
});
