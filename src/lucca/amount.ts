/**
 * Lucca sends entry amounts either as numbers or as .NET timespans, `[-][d.]hh:mm:ss[.fffffff]`
 * (Timmi Timesheet OpenAPI). Timespans become hours; anything else unreadable becomes null.
 */
const TIMESPAN = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

export function parseLuccaAmount(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const text = value.trim();
  if (/^-?\d+(?:\.\d+)?$/.test(text)) return Number(text);
  const match = TIMESPAN.exec(text);
  if (!match) return null;
  const [, minus, days, hours, minutes, seconds, fraction] = match;
  const totalSeconds =
    Number(days ?? 0) * 86_400 +
    Number(hours) * 3600 +
    Number(minutes) * 60 +
    Number(seconds ?? 0) +
    Number(`0.${fraction ?? 0}`);
  // Six decimals keep 7h20 readable (7.333333) without float noise in totals.
  const hoursValue = Math.round((totalSeconds / 3600) * 1e6) / 1e6;
  return minus ? -hoursValue : hoursValue;
}
