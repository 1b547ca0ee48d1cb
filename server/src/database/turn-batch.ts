/**
 * Gathers the calls made within one turn of the event loop and runs them as one batch, so that N
 * requests arriving together cost one database round trip instead of N. A lone call waits only
 * for the end of the current turn (`setImmediate`), which adds no measurable latency.
 *
 * `runBatch` answers every input, in order, with a value or a promise of one: a call answered with
 * a promise settles when that promise does, without holding up the rest of its batch. When
 * `runBatch` itself throws, every call of the batch rejects with that error.
 */
export function batchedPerTurn<Input, Output>(
  runBatch: (inputs: readonly Input[]) => Promise<readonly (Output | Promise<Output>)[]>,
  { maxBatch }: { maxBatch: number },
): (input: Input) => Promise<Output> {
  let waiting: { input: Input; resolve: (output: Output | Promise<Output>) => void; reject: (error: unknown) => void }[] = [];

  const flush = () => {
    if (waiting.length === 0) return;
    const batch = waiting;
    waiting = [];
    runBatch(batch.map((call) => call.input)).then(
      (outputs) => {
        batch.forEach((call, i) => call.resolve(outputs[i]!));
      },
      (error: unknown) => {
        for (const call of batch) call.reject(error);
      },
    );
  };

  return (input) =>
    new Promise<Output>((resolve, reject) => {
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ input, resolve, reject });
      // A full batch goes at once; the turn's pending flush then takes whatever came after it.
      if (waiting.length >= maxBatch) flush();
    });
}
