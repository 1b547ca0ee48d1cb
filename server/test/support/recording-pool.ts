import type { HotPool, HotStatement } from '../../src/database/hot-statements.ts';

/** The real pool, noting the name of every statement it runs (for tests that count round trips). */
export function recordingPool(pool: HotPool): HotPool & { names: string[] } {
  const names: string[] = [];
  return {
    names,
    run<Row>(statement: HotStatement) {
      names.push(statement.name);
      return pool.run<Row>(statement);
    },
  };
}
