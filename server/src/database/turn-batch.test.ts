import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { batchedPerTurn } from './turn-batch.ts';

/** A batch runner that doubles its inputs and remembers every batch it was given. */
function doubling() {
  const batches: number[][] = [];
  const run = async (inputs: readonly number[]) => {
    batches.push([...inputs]);
    return inputs.map((input) => input * 2);
  };
  return { batches, run };
}

describe('batchedPerTurn', () => {
  it('runs the calls made in one turn as one batch and answers each call with its own output', async () => {
    const { batches, run } = doubling();
    const call = batchedPerTurn(run, { maxBatch: 10 });
    await expect(Promise.all([call(1), call(2), call(3)])).resolves.toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('starts a new batch for a call made after the turn ended', async () => {
    const { batches, run } = doubling();
    const call = batchedPerTurn(run, { maxBatch: 10 });
    const first = call(1);
    await nextTurn();
    const second = call(2);
    await expect(Promise.all([first, second])).resolves.toEqual([2, 4]);
    expect(batches).toEqual([[1], [2]]);
  });

  it('sends a full batch at once and the calls after it with the turn', async () => {
    const { batches, run } = doubling();
    const call = batchedPerTurn(run, { maxBatch: 2 });
    const answers = [call(1), call(2)];
    expect(batches).toEqual([[1, 2]]);
    answers.push(call(3), call(4), call(5));
    await expect(Promise.all(answers)).resolves.toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('rejects every call of a batch whose run fails, and the next batch runs afresh', async () => {
    let fail = true;
    const call = batchedPerTurn(
      async (inputs: readonly number[]) => {
        if (fail) throw new Error('the database went away');
        return inputs;
      },
      { maxBatch: 10 },
    );
    const outcomes = await Promise.allSettled([call(1), call(2)]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : ''))).toEqual([
      'Error: the database went away',
      'Error: the database went away',
    ]);
    fail = false;
    await expect(call(3)).resolves.toBe(3);
  });
});
