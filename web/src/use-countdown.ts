import { useEffect, useState } from 'react';

/**
 * Counts whole seconds down to zero, ticking once a second: the wait a `RATE_LIMITED` answer asked
 * for. `start(seconds)` (re)starts it.
 */
export function useCountdown(): { secondsLeft: number; start(seconds: number): void } {
  const [deadline, setDeadline] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    const timer = setInterval(() => {
      const current = Date.now();
      setNow(current);
      if (current >= deadline) {
        clearInterval(timer);
        setDeadline(null);
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [deadline]);
  return {
    secondsLeft: deadline === null ? 0 : Math.max(0, Math.ceil((deadline - now) / 1000)),
    start(seconds) {
      const current = Date.now();
      setNow(current);
      setDeadline(current + seconds * 1000);
    },
  };
}
