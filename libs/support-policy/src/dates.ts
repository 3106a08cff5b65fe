/** Calendar dates as `YYYY-MM-DD` strings (UTC, no time of day): what RELEASES.md and the policy talk about. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks a `YYYY-MM-DD` date (a real calendar day); `what` names the input in the error. */
export function parseIsoDate(value: string, what = 'date'): string {
  const m = ISO_DATE.exec(value.trim());
  if (!m) throw new Error(`${what}: "${value}" is not a date in the form YYYY-MM-DD`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) {
    throw new Error(`${what}: "${value}" is not a calendar day`);
  }
  return value.trim();
}

/** Today's date in UTC (release dates are UTC days). */
export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/**
 * Adds calendar months. The day is kept, or clamped to the month's last day
 * (2024-12-31 + 2 months = 2025-02-28), so support never spills into a third month.
 */
export function addMonths(date: string, months: number): string {
  parseIsoDate(date);
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month0 = total % 12;
  const day = Math.min(d, daysInMonth(year, month0));
  return `${String(year).padStart(4, '0')}-${String(month0 + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` strings compare lexically in date order. */
export function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
