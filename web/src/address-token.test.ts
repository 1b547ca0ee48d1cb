import { describe, expect, it } from 'vitest';
import { splitToken, takeAddressToken } from './address-token.ts';

/** An address bar as the browser keeps it: the current address, and `replaceState` rewriting it in place. */
function addressBar(href: string, state: unknown = { from: '/profile' }) {
  const replaced: { state: unknown; url: string }[] = [];
  const location = { href };
  const history = {
    state,
    replaceState(nextState: unknown, _unused: string, url?: string | URL | null) {
      replaced.push({ state: nextState, url: String(url) });
      location.href = new URL(String(url), location.href).href;
    },
  };
  return { location, history, replaced };
}

describe('the token of an emailed link', () => {
  it('is split from the address, which keeps its path, other parameters and fragment', () => {
    expect(splitToken('https://auth.example.com/reset-password?token=abc_DEF-123')).toEqual({ token: 'abc_DEF-123', rest: '/reset-password' });
    expect(splitToken('https://auth.example.com/verify-email?utm=mail&token=t0k&x=1#top')).toEqual({ token: 't0k', rest: '/verify-email?utm=mail&x=1#top' });
    expect(splitToken('https://auth.example.com/confirm-email?token=')).toEqual({ token: null, rest: '/confirm-email' });
    expect(splitToken('https://auth.example.com/confirm-email')).toEqual({ token: null, rest: '/confirm-email' });
  });

  it('reads percent-encoded and hostile bytes as text, without letting them into the address left behind', () => {
    const { token, rest } = splitToken('https://auth.example.com/reset-password?token=a%00b%2Fc%3F%23&next=%2F%2Fevil.example');
    expect(token).toBe('a\u0000b/c?#');
    expect(rest).toBe('/reset-password?next=%2F%2Fevil.example');
    const huge = 'x'.repeat(100_000);
    expect(splitToken(`https://auth.example.com/verify-email?token=${huge}`)).toEqual({ token: huge, rest: '/verify-email' });
  });

  it('is taken out of the address bar at once, keeping the history entry’s state, and kept for the page’s next render', () => {
    const bar = addressBar('https://auth.example.com/verify-email?token=first-token');
    expect(takeAddressToken(bar.location, bar.history)).toBe('first-token');
    expect(bar.replaced).toEqual([{ state: { from: '/profile' }, url: '/verify-email' }]);
    expect(bar.location.href).toBe('https://auth.example.com/verify-email');
    expect(takeAddressToken(bar.location, bar.history), 'a second render still has it').toBe('first-token');
    expect(bar.replaced).toHaveLength(1);
  });

  it('belongs to its page only: another token page has none, a newer link replaces it', () => {
    const verify = addressBar('https://auth.example.com/verify-email?token=verify-token');
    expect(takeAddressToken(verify.location, verify.history)).toBe('verify-token');
    const confirm = addressBar('https://auth.example.com/confirm-email');
    expect(takeAddressToken(confirm.location, confirm.history)).toBeNull();
    const newer = addressBar('https://auth.example.com/verify-email?token=newer-token');
    expect(takeAddressToken(newer.location, newer.history)).toBe('newer-token');
  });

  it('is left alone on pages that take no token', () => {
    const bar = addressBar('https://auth.example.com/login?token=not-for-this-page');
    expect(takeAddressToken(bar.location, bar.history)).toBeNull();
    expect(bar.replaced).toEqual([]);
    expect(bar.location.href).toBe('https://auth.example.com/login?token=not-for-this-page');
  });
});
