import { makeOperation, mapExchange, type Exchange, type Operation } from '@urql/core';

/** Keys of urql's document hashes are 32-bit integers; these sit above them and never collide. */
const KEY_BASE = 2 ** 32;

const withKey = (operation: Operation, key: number) => makeOperation(operation.kind, { ...operation, key }, operation.context);

/**
 * Gives every mutation its own operation key on the way down, and restores the original key on
 * its results on the way up.
 *
 * `@urql/exchange-auth` queues operations waiting for a refresh in a map by key. Two identical
 * mutations (same document, same variables) share a key, so the second would replace the first
 * in that queue and the first would never be replayed: its caller would wait forever. Mutations
 * carry a per-client `_instance` number, which makes a unique key.
 */
export function uniqueMutationKeysExchange(): Exchange {
  const originalKeys = new Map<number, number>();
  return mapExchange({
    onOperation(operation) {
      const instance = operation.context._instance;
      if (operation.kind !== 'mutation' || instance === undefined) return operation;
      const key = KEY_BASE + Number(instance);
      originalKeys.set(key, operation.key);
      return withKey(operation, key);
    },
    onResult(result) {
      const original = originalKeys.get(result.operation.key);
      if (original === undefined) return result;
      if (!result.hasNext) originalKeys.delete(result.operation.key);
      return { ...result, operation: withKey(result.operation, original) };
    },
  });
}
