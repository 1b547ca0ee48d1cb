import { Cookie, CookieJar as ToughCookieJar, MemoryCookieStore, type Store } from 'tough-cookie';

/** One Set-Cookie header exactly as the server wrote it, for tests that assert its attributes. */
export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names lower-cased; valueless attributes (HttpOnly, Secure) map to ''. */
  attributes: Map<string, string>;
}

/** Reads one raw Set-Cookie header without normalising anything, so a test sees what a browser is sent. */
export function parseSetCookie(header: string): SetCookie {
  const [pair = '', ...parts] = header.split(';');
  const separator = pair.indexOf('=');
  const attributes = new Map<string, string>();
  for (const part of parts) {
    const [key = '', ...rest] = part.trim().split('=');
    attributes.set(key.toLowerCase(), rest.join('='));
  }
  return { name: pair.slice(0, separator).trim(), value: decodeURIComponent(pair.slice(separator + 1).trim()), attributes };
}

/** A browser's cookie store for one site (tough-cookie's, by RFC 6265). */
export interface CookieJar {
  /** The Cookie header the browser sends to the site ('' when it holds none). */
  header(): string;
  get(name: string): string | undefined;
  names(): string[];
  /** Keeps the cookies a response sets and forgets those it expires. */
  store(response: { headers: Headers }): void;
}

export interface CookieJarOptions {
  /** The site the browser is on: cookies are kept and sent as for this URL (host, path, Secure). */
  url?: string;
  /** The browser's clock for Expires and Max-Age; real time unless given (the server's test clock, say). */
  now?: () => Date;
  /**
   * Leaves out of what the jar sends the cookies that expired since they were stored, as a browser
   * does. Off by default: the jar then sends what it holds until a response expires it, so a test
   * can show the server itself refusing what a browser would no longer send.
   */
  expireWhenSending?: boolean;
}

function expiredAt(cookie: Cookie, time: Date): boolean {
  const expiry = cookie.expiryTime();
  return expiry !== undefined && expiry <= time.getTime();
}

/** An empty cookie jar; see {@link CookieJarOptions} for its site and clock. */
export function createCookieJar({ url = 'http://localhost:4000/', now = () => new Date(), expireWhenSending = false }: CookieJarOptions = {}): CookieJar {
  const store: Store = new MemoryCookieStore();
  const jar = new ToughCookieJar(store);
  // tough-cookie checks expiry against real time only; this jar checks it against its own clock.
  const held = (): Cookie[] => {
    const cookies = jar.getCookiesSync(url, { expire: false });
    const time = now();
    return expireWhenSending ? cookies.filter((cookie) => !expiredAt(cookie, time)) : cookies;
  };
  return {
    header: () => held().map((cookie) => cookie.cookieString()).join('; '),
    get: (name) => held().find((cookie) => cookie.key === name)?.value,
    names: () => held().map((cookie) => cookie.key),
    store(response) {
      const time = now();
      for (const header of response.headers.getSetCookie()) {
        const cookie = Cookie.parse(header);
        if (!cookie) throw new Error(`the server set a cookie no browser could parse: ${header.split('=')[0]}`);
        // Max-Age counts from when the browser received the cookie, by the jar's clock.
        if (typeof cookie.maxAge === 'number') {
          cookie.expires = cookie.expiryDate(time) ?? null;
          cookie.maxAge = null;
        }
        const kept = jar.setCookieSync(cookie, url, { now: time });
        // The memory store removes at once; its promise only reports that it did.
        if (kept && expiredAt(kept, time)) void store.removeCookie(kept.domain, kept.path, kept.key);
      }
    },
  };
}
