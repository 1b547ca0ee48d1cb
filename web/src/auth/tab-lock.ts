import type { AuthUser } from './session-store.ts';

/** What one tab tells the others about the session they share through cookies (or shared storage). */
export type TabMessage =
  | {
      type: 'session';
      user: AuthUser | null;
      accessTokenExpiresAt: string | null;
      refreshTokenExpiresAt: string | null;
    }
  | { type: 'logged-out'; reason: string };

/**
 * Lets the tabs of one origin refresh one at a time and hear about each other's logins, refreshes
 * and logouts. Two tabs waking at once then do one refresh; the server's grace window covers
 * whatever slips through (a tab that gave up waiting, a browser without these APIs).
 */
export interface TabCoordinator {
  /**
   * Runs `task` while no other tab runs its own. When another tab held the turn, its messages
   * (`session`, `logged-out`) have been delivered before `task` starts, so `task` can see that
   * the work is already done. After waiting `timeoutMs` for the turn, runs `task` anyway.
   */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  /** Sends a message to the other tabs (never back to this one). */
  post(message: TabMessage): void;
  /** Messages from other tabs. Returns the unsubscribe function. */
  subscribe(listener: (message: TabMessage) => void): () => void;
  close(): void;
}

export interface TabCoordinatorOptions {
  /** The lock and channel name; tabs coordinate when they use the same one. */
  name?: string;
  /** How long a tab waits for another tab's refresh before doing its own. Default 10 s. */
  timeoutMs?: number;
  /**
   * The Web Locks manager; `navigator.locks` by default. `null` uses the BroadcastChannel-only
   * protocol (a tab announces its refresh; the others wait for the outcome).
   */
  locks?: LockManager | null;
}

/** Coordination for a single client: a no-op, the default outside browsers and for bearer transport. */
export function noTabCoordination(): TabCoordinator {
  return {
    exclusive: (task) => task(),
    post: () => undefined,
    subscribe: () => () => undefined,
    close: () => undefined,
  };
}

interface Turn {
  /** The tab's random id. */
  id: string;
  /** When it claimed the turn (`Date.now()`; tabs share the machine's clock). */
  at: number;
}

type Envelope = { kind: 'auth'; message: TabMessage } | ({ kind: 'turn'; state: 'taken' | 'released' } & Turn);

function isTabMessage(value: unknown): value is TabMessage {
  if (typeof value !== 'object' || value === null || !('type' in value)) return false;
  if (value.type === 'logged-out') return 'reason' in value && typeof value.reason === 'string';
  return value.type === 'session' && 'accessTokenExpiresAt' in value && 'refreshTokenExpiresAt' in value && 'user' in value;
}

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null || !('kind' in value)) return false;
  if (value.kind === 'auth') return 'message' in value && isTabMessage(value.message);
  return (
    value.kind === 'turn' &&
    'state' in value &&
    (value.state === 'taken' || value.state === 'released') &&
    'id' in value &&
    typeof value.id === 'string' &&
    'at' in value &&
    typeof value.at === 'number'
  );
}

/** The earlier claim wins; the tab id breaks ties, so every tab reaches the same verdict. */
const precedes = (a: Turn, b: Turn) => a.at < b.at || (a.at === b.at && a.id < b.id);

const defaultLocks = (): LockManager | null =>
  typeof navigator === 'object' && navigator !== null && 'locks' in navigator && navigator.locks ? navigator.locks : null;

/** A tab that held the turn posts `released` just before giving it up; a crashed tab never does. */
const SETTLE_MS = 1000;
/** Without Web Locks, how long a claim stays open for other tabs' claims to arrive. */
const CLAIM_MS = 50;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Coordinates tabs with Web Locks (when `navigator.locks` exists) and BroadcastChannel. Needs
 * `BroadcastChannel`; use {@link noTabCoordination} where there is none.
 *
 * With Web Locks, the turn is the lock. A lock is granted independently of message delivery, so a
 * tab that had to wait also waits (at most a second) for the holder's `released` notice, which
 * follows the holder's `session` message on the same channel.
 *
 * Without Web Locks, a tab claims the turn on the channel and listens for other claims for 50 ms;
 * the earliest claim runs, the others wait for its `released` notice (at most `timeoutMs`).
 */
export function createTabCoordinator({ name = 'graphql-auth', timeoutMs = 10_000, locks = defaultLocks() }: TabCoordinatorOptions = {}): TabCoordinator {
  const channel = new BroadcastChannel(name);
  // getRandomValues works outside secure contexts too, unlike randomUUID.
  const tabId = Array.from(crypto.getRandomValues(new Uint32Array(4)), (part) => part.toString(36)).join('-');
  const listeners = new Set<(message: TabMessage) => void>();
  const waiters = new Set<() => void>();
  /** Claims of other tabs not released yet, by tab id. */
  const otherTurns = new Map<string, Turn>();
  let releasesSeen = 0;

  const wakeWaiters = () => {
    for (const check of [...waiters]) check();
  };

  channel.onmessage = (event: MessageEvent<unknown>) => {
    const envelope = event.data;
    if (!isEnvelope(envelope)) return;
    if (envelope.kind === 'auth') {
      for (const listener of [...listeners]) listener(envelope.message);
      return;
    }
    if (envelope.state === 'taken') {
      otherTurns.set(envelope.id, { id: envelope.id, at: envelope.at });
    } else {
      otherTurns.delete(envelope.id);
      releasesSeen += 1;
    }
    wakeWaiters();
  };

  const send = (envelope: Envelope) => channel.postMessage(envelope);

  /** Resolves once `done()` holds (checked on every turn message), or after `ms`. */
  const waitUntil = (done: () => boolean, ms: number) =>
    new Promise<void>((resolve) => {
      if (done()) return resolve();
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      const check = () => {
        if (done()) finish();
      };
      const timer = setTimeout(finish, ms);
      waiters.add(check);
    });

  const takeTurn = async <T>(task: () => Promise<T>, turn: Turn = { id: tabId, at: Date.now() }): Promise<T> => {
    send({ kind: 'turn', state: 'taken', ...turn });
    try {
      return await task();
    } finally {
      send({ kind: 'turn', state: 'released', ...turn });
    }
  };

  const withLocks = async <T>(lockManager: LockManager, task: () => Promise<T>): Promise<T> => {
    const seen = releasesSeen;
    const immediate = await lockManager.request(name, { ifAvailable: true }, async (lock) =>
      lock ? { value: await takeTurn(task) } : null,
    );
    if (immediate) return immediate.value;
    let started = false;
    try {
      return await lockManager.request(name, { signal: AbortSignal.timeout(timeoutMs) }, async () => {
        started = true;
        await waitUntil(() => releasesSeen > seen, SETTLE_MS);
        return takeTurn(task);
      });
    } catch (error) {
      if (started) throw error;
      // The other tab kept the lock too long: go ahead; the server's grace window covers the overlap.
      return takeTurn(task);
    }
  };

  const withMessagesOnly = <T>(task: () => Promise<T>): Promise<T> => {
    const claim: Turn = { id: tabId, at: Date.now() };
    // A claim older than the time-out belongs to a tab that went away without releasing it.
    const waitingFor = () => [...otherTurns.values()].filter((turn) => precedes(turn, claim) && claim.at - turn.at < timeoutMs);
    return takeTurn(async () => {
      await sleep(CLAIM_MS);
      await waitUntil(() => waitingFor().length === 0, timeoutMs);
      return task();
    }, claim);
  };

  return {
    exclusive: (task) => (locks ? withLocks(locks, task) : withMessagesOnly(task)),
    post: (message) => send({ kind: 'auth', message }),
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close() {
      listeners.clear();
      otherTurns.clear();
      wakeWaiters();
      channel.close();
    },
  };
}

/**
 * The coordination a client gets unless it passes its own: tabs coordinate in browsers with
 * cookie transport; a Node program, or bearer transport with tokens in memory, has nothing to share.
 */
export function defaultTabCoordinator(transport: 'cookie' | 'bearer'): TabCoordinator {
  const inBrowser = typeof window === 'object' && typeof BroadcastChannel === 'function';
  return transport === 'cookie' && inBrowser ? createTabCoordinator() : noTabCoordination();
}
