import type { CookieStore } from '@whatwg-node/cookie-store';

export interface SessionCookies {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

/** `__Host-` binds a cookie to this exact origin over HTTPS; plain-http localhost cannot carry it. */
export function cookieNames(secure: boolean) {
  const prefix = secure ? '__Host-' : '';
  return { access: `${prefix}access-token`, refresh: `${prefix}refresh-token`, device: `${prefix}device` };
}

function attributes(secure: boolean) {
  // Lax still sends the cookie on top-level navigation but not on cross-site subrequests or form posts.
  return { path: '/', domain: null, httpOnly: true, secure, sameSite: 'lax' as const };
}

export async function writeSessionCookies(store: CookieStore, cookies: SessionCookies, secure: boolean): Promise<void> {
  const names = cookieNames(secure);
  await store.set({ ...attributes(secure), name: names.access, value: cookies.accessToken, expires: cookies.accessTokenExpiresAt });
  await store.set({ ...attributes(secure), name: names.refresh, value: cookies.refreshToken, expires: cookies.refreshTokenExpiresAt });
}

/** The device cookie outlives sessions (logout keeps it): it says this browser logged in here before. */
export async function writeDeviceCookie(store: CookieStore, token: string, expiresAt: Date, secure: boolean): Promise<void> {
  await store.set({ ...attributes(secure), name: cookieNames(secure).device, value: token, expires: expiresAt });
}

export async function clearSessionCookies(store: CookieStore, secure: boolean): Promise<void> {
  const names = cookieNames(secure);
  for (const name of [names.access, names.refresh]) {
    await store.set({ ...attributes(secure), name, value: '', expires: 0 });
  }
}

export async function readCookie(store: CookieStore, name: string): Promise<string | undefined> {
  const cookie = await store.get(name);
  return cookie?.value || undefined;
}
