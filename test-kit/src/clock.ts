/**
 * A clock a test moves by hand, so expiry is tested without sleeping. It stands still unless
 * created `running`: then it follows real time plus whatever the test moved it by (a server whose
 * clock jumps ahead while the browser's own clock keeps running).
 */
export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

/** A clock at `start` (now by default) that moves only when told, or also with real time when `running`. */
export function createTestClock({ start = Date.now(), running = false }: { start?: number | Date; running?: boolean } = {}): TestClock {
  const createdAt = Date.now();
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current + (running ? Date.now() - createdAt : 0)),
    advance: (ms) => void (current += ms),
  };
}
