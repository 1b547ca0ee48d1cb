import type pg from 'pg';

/** One statement of a hot path, run straight on the `pg` pool (no unit of work). */
export interface HotStatement {
  /** Names the server-side prepared statement, where prepared statements are used. */
  name: string;
  text: string;
  values: unknown[];
}

export interface HotPool {
  run<Row>(statement: HotStatement): Promise<{ rows: Row[]; rowCount: number }>;
}

/**
 * The hot paths' way to the pool. Named prepared statements save a parse and a plan per call, but
 * they belong to one server connection, which a pooler in transaction mode (PgBouncer before
 * 1.21) does not keep: behind one, statements go unnamed.
 */
export function hotPool(pool: pg.Pool, { prepared }: { prepared: boolean }): HotPool {
  return {
    async run<Row>({ name, text, values }: HotStatement) {
      const result = await pool.query(prepared ? { name, text, values } : { text, values });
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    },
  };
}

/**
 * Rows read straight from the pool keep timestamps as text, which the ORM would have turned into
 * dates: this does it for them.
 */
export function timestampOf(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}
