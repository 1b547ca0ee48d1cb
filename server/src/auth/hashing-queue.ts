import { rateLimited, serviceUnavailable } from '../errors.ts';

export interface HashingQueueLimits {
  /** Hashes running at once across all callers. */
  slots: number;
  /** Hashes one owner (an address, an account) may run at once: fewer than `slots`, so others always get through. */
  maxRunningPerOwner: number;
  /** Hashes one owner may have waiting; past that its next request is refused at once with RATE_LIMITED. */
  maxWaitingPerOwner: number;
  /** Hashes waiting in all; past that requests are refused at once with SERVICE_UNAVAILABLE rather than left to time out. */
  maxWaiting: number;
}

interface Waiting {
  owners: readonly string[];
  start: () => void;
}

/**
 * Shares the password-hashing slots fairly. Every hash names its owners (the client's address, the
 * account it is for). A freed slot goes to the waiting hash whose owners run the fewest hashes at
 * that moment, oldest first among equals, so a newcomer is served after at most one hash even
 * while someone else keeps hundreds queued; no owner may hold every slot; and queues are bounded,
 * so a flood is refused fast instead of making everyone wait.
 */
export function createHashingQueue(limits: HashingQueueLimits) {
  let running = 0;
  const runningBy = new Map<string, number>();
  const waitingBy = new Map<string, number>();
  const waiting: Waiting[] = [];

  const adjust = (counts: Map<string, number>, owners: readonly string[], delta: number) => {
    for (const owner of owners) {
      const count = (counts.get(owner) ?? 0) + delta;
      if (count === 0) counts.delete(owner);
      else counts.set(owner, count);
    }
  };
  const busiest = (owners: readonly string[]) => Math.max(0, ...owners.map((owner) => runningBy.get(owner) ?? 0));

  function startNext() {
    while (running < limits.slots) {
      let chosen = -1;
      for (let index = 0; index < waiting.length; index++) {
        const candidate = waiting[index]!;
        const load = busiest(candidate.owners);
        if (load >= limits.maxRunningPerOwner) continue;
        if (chosen === -1 || load < busiest(waiting[chosen]!.owners)) chosen = index;
      }
      if (chosen === -1) return;
      // The slot is taken here, synchronously, so the loop sees it before the waiter wakes up.
      const [next] = waiting.splice(chosen, 1);
      adjust(waitingBy, next!.owners, -1);
      running += 1;
      adjust(runningBy, next!.owners, 1);
      next!.start();
    }
  }

  return async function onHashingSlot<T>(owners: readonly string[], task: () => Promise<T>): Promise<T> {
    if (owners.some((owner) => (waitingBy.get(owner) ?? 0) >= limits.maxWaitingPerOwner)) throw rateLimited(1);
    if (waiting.length >= limits.maxWaiting) throw serviceUnavailable();
    // Waiters are kept in arrival order, and the scan above keeps the first of equals: oldest first.
    await new Promise<void>((resolve) => {
      waiting.push({ owners, start: resolve });
      adjust(waitingBy, owners, 1);
      startNext();
    });
    try {
      return await task();
    } finally {
      running -= 1;
      adjust(runningBy, owners, -1);
      startNext();
    }
  };
}
