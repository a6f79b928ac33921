const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses the contract's durations: `90` (seconds), `90s`, `15m`, `1h`, also `500ms` and `7d`.
 * Returns milliseconds, or undefined when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = (match[2] ?? 's').toLowerCase();
  const factor = UNITS[unit];
  if (factor === undefined || !Number.isFinite(value)) return undefined;
  return Math.round(value * factor);
}

/** A duration split the way people read it: days, hours, minutes, and seconds under a day. */
export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** `90000` → 1 minute 30 seconds; seconds are dropped once there are days. For durations of 1 s or more. */
export function durationParts(ms: number): DurationParts {
  let seconds = Math.round(ms / 1000);
  const days = Math.floor(seconds / 86_400);
  seconds -= days * 86_400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  return { days, hours, minutes, seconds: days ? 0 : seconds };
}

/** `90000` → `1m 30s`; for logs (messages say it in their language: src/i18n/quantities.ts). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const { days, hours, minutes, seconds } = durationParts(ms);
  const parts: string[] = [];
  if (days) parts.push(`${days}d`);
  if (hours) parts.push(`${hours}h`);
  if (minutes) parts.push(`${minutes}m`);
  if (seconds) parts.push(`${seconds}s`);
  return parts.join(' ') || '0s';
}
