/**
 * Rows read straight from the ORM's `pg` pool (the hot paths skip the unit of work) keep
 * timestamps as text, which the ORM would have turned into dates: this does it for them.
 */
export function timestampOf(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}
