import type { Session } from './session-store.ts';

/** What one tab tells the others about the session they share through cookies (or shared storage). Never a token. */
export type TabMessage =
  | ({ type: 'session' } & Pick<Session, 'user' | 'accessTokenExpiresAt' | 'refreshTokenExpiresAt'>)
  | { type: 'logged-out'; reason: string };

/**
 * Lets the tabs of one origin refresh one at a time and hear about each other's logins, refreshes
 * and logouts. Two tabs waking at once then do one refresh; the server's grace window covers
 * whatever slips through (a tab that gave up waiting, a page without Web Locks).
 */
export interface TabLock {
  /**
   * Runs `task` while no other tab runs its own. When another tab held the lock, its messages
   * (`session`, `logged-out`) have been delivered before `task` starts, so `task` can see that
   * the work is already done. After waiting the lock's timeout, runs `task` anyway.
   */
  runExclusive<T>(task: () => Promise<T>): Promise<T>;
  /** Sends a message to the other tabs (never back to this one). */
  post(message: TabMessage): void;
  /** Messages from other tabs. Returns the unsubscribe function. */
  subscribe(listener: (message: TabMessage) => void): () => void;
  close(): void;
}

/** How tabs coordinate: the `tabs` option of the client. */
export interface TabOptions {
  /** The lock and channel name; tabs coordinate when they use the same one. Default `graphql-auth`. */
  name?: string;
  /**
   * How long a tab waits for another tab's refresh before doing its own. Default
   * {@link DEFAULT_LOCK_TIMEOUT_MS}; keep it below the server's `REFRESH_GRACE`.
   */
  lockTimeoutMs?: number;
}

/** The server's default `REFRESH_GRACE` (README, Configuration). */
const SERVER_REFRESH_GRACE_MS = 10_000;

/**
 * 8 s: shorter than the server's grace window by the time a refresh request may take to arrive.
 * A tab that stops waiting presents the refresh token the lock's holder may have rotated a moment
 * ago (its answer, and so the new cookie, not back yet); the server answers that previous token
 * with the same successor only within `REFRESH_GRACE` of the rotation, and as reuse, ending the
 * session, after it. A server run with a shorter `REFRESH_GRACE` needs a shorter `lockTimeoutMs`.
 */
export const DEFAULT_LOCK_TIMEOUT_MS = SERVER_REFRESH_GRACE_MS - 2_000;

/** One client alone: runs every task at once and hears nobody. The default outside browsers and for bearer transport. */
export function noTabLock(): TabLock {
  return {
    runExclusive: (task) => task(),
    post: () => undefined,
    subscribe: () => () => undefined,
    close: () => undefined,
  };
}

/** A tab posts this just before it gives the lock up; a crashed tab never does. */
type Release = { kind: 'turn'; state: 'released'; id: string; at: number };

type Envelope = { kind: 'auth'; message: TabMessage } | Release;

function isTabMessage(value: unknown): value is TabMessage {
  if (typeof value !== 'object' || value === null || !('type' in value)) return false;
  if (value.type === 'logged-out') return 'reason' in value && typeof value.reason === 'string';
  return value.type === 'session' && 'accessTokenExpiresAt' in value && 'refreshTokenExpiresAt' in value && 'user' in value;
}

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null || !('kind' in value)) return false;
  if (value.kind === 'auth') return 'message' in value && isTabMessage(value.message);
  return value.kind === 'turn' && 'state' in value && value.state === 'released';
}

const defaultLocks = (): LockManager | null =>
  typeof navigator === 'object' && navigator !== null && 'locks' in navigator && navigator.locks ? navigator.locks : null;

/**
 * How long a tab that got the lock after waiting waits for the holder's `released` notice. Only a
 * holder that crashed never sends one; a busy machine can delay it past a second, and a tab that
 * stopped waiting too early would refresh a second time.
 */
const SETTLE_MS = 3000;

/**
 * The lock is a Web Lock (`navigator.locks`, in every current browser's secure contexts); messages
 * go over a BroadcastChannel. A lock is granted independently of message delivery, so a tab that
 * had to wait also waits (at most 3 s) for the holder's `released` notice, which follows the
 * holder's `session` message on the same channel.
 *
 * A page without Web Locks (plain http on an address other than localhost) runs every refresh at
 * once: the tabs still hear each other, and the server's grace window gives tabs refreshing
 * together the same successor.
 */
export function createTabLock({ name = 'graphql-auth', lockTimeoutMs = DEFAULT_LOCK_TIMEOUT_MS }: TabOptions = {}): TabLock {
  const channel = new BroadcastChannel(name);
  const locks = defaultLocks();
  // getRandomValues works outside secure contexts too, unlike randomUUID.
  const tabId = Array.from(crypto.getRandomValues(new Uint32Array(4)), (part) => part.toString(36)).join('-');
  const listeners = new Set<(message: TabMessage) => void>();
  const waiters = new Set<() => void>();
  let releasesSeen = 0;

  channel.onmessage = (event: MessageEvent<unknown>) => {
    const envelope = event.data;
    if (!isEnvelope(envelope)) return;
    if (envelope.kind === 'auth') {
      for (const listener of [...listeners]) listener(envelope.message);
      return;
    }
    releasesSeen += 1;
    for (const wake of [...waiters]) wake();
  };

  const send = (envelope: Envelope) => channel.postMessage(envelope);

  /** Resolves once another tab released the lock after `seen` releases, or after `ms`. */
  const waitForRelease = (seen: number, ms: number) =>
    new Promise<void>((resolve) => {
      if (releasesSeen > seen) return resolve();
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      waiters.add(finish);
    });

  const holding = async <T>(task: () => Promise<T>): Promise<T> => {
    try {
      return await task();
    } finally {
      send({ kind: 'turn', state: 'released', id: tabId, at: Date.now() });
    }
  };

  const withLock = async <T>(lockManager: LockManager, task: () => Promise<T>): Promise<T> => {
    const seen = releasesSeen;
    const immediate = await lockManager.request(name, { ifAvailable: true }, async (lock) => (lock ? { value: await holding(task) } : null));
    if (immediate) return immediate.value;
    let started = false;
    try {
      return await lockManager.request(name, { signal: AbortSignal.timeout(lockTimeoutMs) }, async () => {
        started = true;
        await waitForRelease(seen, SETTLE_MS);
        return holding(task);
      });
    } catch (error) {
      if (started) throw error;
      // The other tab kept the lock too long: go ahead; the server's grace window covers the overlap.
      return holding(task);
    }
  };

  return {
    runExclusive: (task) => (locks ? withLock(locks, task) : task()),
    post: (message) => send({ kind: 'auth', message }),
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close() {
      listeners.clear();
      for (const wake of [...waiters]) wake();
      channel.close();
    },
  };
}

/**
 * The lock a client gets from its `tabs` option: `false` for none; options for a shared one;
 * unset, shared in browsers with cookie transport (a Node program, or bearer transport with tokens
 * in memory, has nothing to share).
 */
export function tabLockFor(transport: 'cookie' | 'bearer', tabs: TabOptions | false | undefined): TabLock {
  if (tabs === false || typeof BroadcastChannel !== 'function') return noTabLock();
  if (tabs) return createTabLock(tabs);
  return transport === 'cookie' && typeof window === 'object' ? createTabLock() : noTabLock();
}
