/** The pages emailed links open; each reads a one-time token from `?token=`. */
export const TOKEN_PAGE_PATHS = ['/reset-password', '/verify-email', '/confirm-email'] as const;

const TOKEN_PARAMETER = 'token';

/**
 * Splits an address into the token of its `?token=` and the same address without it (path, the
 * other query parameters and the fragment), relative to its origin. No token gives `null`; an
 * empty one counts as none.
 */
export function splitToken(href: string): { token: string | null; rest: string } {
  const url = new URL(href);
  const token = url.searchParams.get(TOKEN_PARAMETER);
  url.searchParams.delete(TOKEN_PARAMETER);
  return { token: token || null, rest: `${url.pathname}${url.search}${url.hash}` };
}

/** The token taken from the address of this document, and the page it was for. */
let held: { pathname: string; token: string } | null = null;

/**
 * Takes the token out of the address bar on a token page, so it leaves no trace in the history,
 * a bookmark, a shared screen or a Referer, and keeps it in memory for the page. Called again on
 * the same page (a second render), it returns the token it kept. Other pages are left alone.
 */
export function takeAddressToken(location: Pick<Location, 'href'>, history: Pick<History, 'state' | 'replaceState'>): string | null {
  const { pathname } = new URL(location.href);
  if (!TOKEN_PAGE_PATHS.some((path) => path === pathname)) return null;
  const { token, rest } = splitToken(location.href);
  if (token) {
    history.replaceState(history.state, '', rest);
    held = { pathname, token };
    return token;
  }
  return held?.pathname === pathname ? held.token : null;
}
