import { describe, expect, it } from 'vitest';
import { createHashingQueue } from './hashing-queue.ts';

/** A hash the test finishes by hand, so the order in which the queue starts work is what is observed. */
function controllableWork() {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const work = (name: string) => () =>
    new Promise<string>((resolve) => {
      started.push(name);
      finishers.set(name, () => resolve(name));
    });
  const finish = async (name: string) => {
    finishers.get(name)!();
    // Let the queue hand the freed slot on.
    for (let tick = 0; tick < 5; tick++) await Promise.resolve();
  };
  return { started, work, finish };
}

const settle = async () => {
  for (let tick = 0; tick < 5; tick++) await Promise.resolve();
};

describe('the password hashing queue', () => {
  it('serves a newcomer before the rest of a flood that was queued first', async () => {
    const onSlot = createHashingQueue({ slots: 3, maxRunningPerOwner: 2, maxWaitingPerOwner: 50, maxWaiting: 100 });
    const { started, work, finish } = controllableWork();
    const flood = Array.from({ length: 20 }, (_, index) => onSlot(['ip:attacker'], work(`attacker-${index}`)));
    await settle();
    // One address holds two slots, never the third.
    expect(started).toEqual(['attacker-0', 'attacker-1']);

    const victim = onSlot(['ip:victim'], work('victim'));
    await settle();
    expect(started).toEqual(['attacker-0', 'attacker-1', 'victim']);
    await finish('victim');
    await expect(victim).resolves.toBe('victim');

    await finish('attacker-0');
    expect(started.at(-1)).toBe('attacker-2');
    for (let index = 1; index < 20; index++) await finish(`attacker-${index}`);
    await expect(Promise.all(flood)).resolves.toHaveLength(20);
  });

  it('shares slots between accounts too: one account guessed from many addresses cannot hold them all', async () => {
    const onSlot = createHashingQueue({ slots: 3, maxRunningPerOwner: 2, maxWaitingPerOwner: 50, maxWaiting: 100 });
    const { started, work, finish } = controllableWork();
    const guesses = Array.from({ length: 6 }, (_, index) => onSlot([`ip:bot-${index}`, 'account:victim'], work(`guess-${index}`)));
    const owner = onSlot(['ip:owner-laptop', 'account:someone-else'], work('other-user'));
    await settle();
    expect(started).toEqual(['guess-0', 'guess-1', 'other-user']);
    for (const name of ['other-user', 'guess-0', 'guess-1', 'guess-2', 'guess-3', 'guess-4', 'guess-5']) await finish(name);
    await Promise.all([...guesses, owner]);
  });

  it('takes turns between two floods, fewest running first', async () => {
    const onSlot = createHashingQueue({ slots: 2, maxRunningPerOwner: 1, maxWaitingPerOwner: 50, maxWaiting: 100 });
    const { started, work, finish } = controllableWork();
    const all = [
      ...Array.from({ length: 3 }, (_, index) => onSlot(['ip:a'], work(`a${index}`))),
      ...Array.from({ length: 3 }, (_, index) => onSlot(['ip:b'], work(`b${index}`))),
    ];
    await settle();
    expect(started).toEqual(['a0', 'b0']);
    await finish('a0');
    await finish('b0');
    expect(started).toEqual(['a0', 'b0', 'a1', 'b1']);
    for (const name of ['a1', 'b1', 'a2', 'b2']) await finish(name);
    await Promise.all(all);
  });

  it('refuses at once with RATE_LIMITED when one owner has too many waiting, and SERVICE_UNAVAILABLE when everyone has', async () => {
    const onSlot = createHashingQueue({ slots: 1, maxRunningPerOwner: 1, maxWaitingPerOwner: 2, maxWaiting: 3 });
    const { work, finish } = controllableWork();
    const accepted = [onSlot(['ip:a'], work('a0')), onSlot(['ip:a'], work('a1')), onSlot(['ip:a'], work('a2'))];
    await settle();
    await expect(onSlot(['ip:a'], work('a3'))).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED', retryAfter: 1 } });

    accepted.push(onSlot(['ip:b'], work('b0')));
    await settle();
    await expect(onSlot(['ip:c'], work('c0'))).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });

    for (const name of ['a0', 'a1', 'a2', 'b0']) await finish(name);
    await expect(Promise.all(accepted)).resolves.toEqual(['a0', 'a1', 'a2', 'b0']);
  });

  it('frees the slot of a hash that failed', async () => {
    const onSlot = createHashingQueue({ slots: 1, maxRunningPerOwner: 1, maxWaitingPerOwner: 5, maxWaiting: 5 });
    await expect(onSlot(['ip:a'], () => Promise.reject(new Error('bcrypt failed')))).rejects.toThrow('bcrypt failed');
    await expect(onSlot(['ip:a'], () => Promise.resolve('next'))).resolves.toBe('next');
  });
});
