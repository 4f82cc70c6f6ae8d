const percent = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 0 });
const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const longDate = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** A share between 0 and 1 as a whole percentage, e.g. `0.416` → `42%`. */
export function formatPercent(share: number | null): string {
  return share === null || Number.isNaN(share) ? '–' : percent.format(share);
}

/** A count with thousands separators. */
export function formatCount(count: number | null): string {
  return count === null ? '–' : integer.format(count);
}

/** An ISO date as people write it, e.g. `2009-06-30` → `30 June 2009`. */
export function formatDate(iso: string | null): string {
  if (!iso) return '–';
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : longDate.format(date);
}
