const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['minute', 60],
  ['hour', 60],
  ['day', 24],
  ['week', 7],
  ['month', 4.35],
  ['year', 12],
];

/** "3 Mar 2025". */
export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

/** "March 2025". */
export function formatMonth(iso: string): string {
  return monthFormat.format(new Date(iso));
}

/** "just now", "5 minutes ago", "yesterday"; times a little ahead of this machine's clock count as now. */
export function formatTimeAgo(iso: string, now = Date.now()): string {
  let amount = (now - new Date(iso).getTime()) / 60_000;
  if (amount < 1) return 'just now';
  for (const [unit, next] of STEPS) {
    if (amount < next || unit === 'year') return relativeFormat.format(-Math.floor(amount), unit);
    amount /= next;
  }
  return relativeFormat.format(-Math.floor(amount), 'year');
}
