import { durationParts, formatDuration } from '../util/duration.js';
import { cachedFormat, formatNumber, pluralCategory } from './intl.js';
import { intlLocale, type Language } from './language.js';

/**
 * Sizes, amounts and durations as a reader of `language` writes them. English keeps the app's
 * historical forms (`1.5 MB`, `1318.5`, `1m 30s`), which tests and operators know; French goes
 * through `Intl` (`1,5 Mo`, `1 318,5`, `1 min 30 s`).
 */

function unit(value: number, name: string, language: Language, maximumFractionDigits = 0): string {
  return cachedFormat(
    `unit:${language}:${name}:${maximumFractionDigits}`,
    () =>
      new Intl.NumberFormat(intlLocale(language), {
        style: 'unit',
        unit: name,
        unitDisplay: 'short',
        maximumFractionDigits,
      }),
  ).format(value);
}

const BYTE_UNITS = ['kilobyte', 'megabyte', 'gigabyte'] as const;
const BYTE_SYMBOLS = ['KB', 'MB', 'GB'] as const;

/** 1536 → en `1.5 KB`, fr `1,5 ko`; one decimal under 10, none above. */
export function formatBytes(bytes: number, language: Language): string {
  if (bytes < 1024) return language === 'en' ? `${bytes} B` : unit(bytes, 'byte', language);
  let value = bytes / 1024;
  let index = 0;
  while (value >= 1024 && index < BYTE_UNITS.length - 1) {
    value /= 1024;
    index++;
  }
  const rounded = value >= 10 ? Math.round(value) : Number(value.toFixed(1));
  if (language === 'en') return `${value >= 10 ? rounded : value.toFixed(1)} ${BYTE_SYMBOLS[index]}`;
  return unit(rounded, BYTE_UNITS[index]!, language, 1);
}

/** An amount of time or days from Lucca: en `1318.5` (as before), fr `1 318,5`; at most 2 decimals. */
export function formatAmount(amount: number, language: Language): string {
  if (language === 'en') {
    return Number.isInteger(amount) ? String(amount) : amount.toFixed(2).replace(/\.?0+$/, '');
  }
  return formatNumber(amount, language, 2);
}

/** A count as a number: en `1318` (as before), fr `1 318`. */
export function formatCount(count: number, language: Language): string {
  return language === 'en' ? String(count) : formatNumber(count, language, 0);
}

/** 90 000 ms → en `1m 30s`, fr `1 min 30 s`. */
export function formatDurationIn(ms: number, language: Language): string {
  if (language === 'en') return formatDuration(ms);
  if (ms < 1000) return unit(Math.max(0, Math.round(ms)), 'millisecond', language);
  const { days, hours, minutes, seconds } = durationParts(ms);
  const parts: string[] = [];
  if (days) parts.push(unit(days, 'day', language));
  if (hours) parts.push(unit(hours, 'hour', language));
  if (minutes) parts.push(unit(minutes, 'minute', language));
  if (seconds) parts.push(unit(seconds, 'second', language));
  return parts.join(' ') || unit(0, 'second', language);
}

/** How long ago: en `5m ago`, fr `il y a 5 min`. */
export function ago(ms: number, language: Language): string {
  const duration = formatDurationIn(Math.max(0, ms), language);
  return language === 'en' ? `${duration} ago` : `il y a ${duration}`;
}

const UNIT_WORDS: Record<Language, Record<'hours' | 'days', { one: string; other: string }>> = {
  en: { hours: { one: 'hours', other: 'hours' }, days: { one: 'days', other: 'days' } },
  fr: { hours: { one: 'heure', other: 'heures' }, days: { one: 'jour', other: 'jours' } },
};

/**
 * exports/units.ts's unit (`hours`, `days`, `unit 3`, or Lucca's own text) in `language`, agreed with
 * `amount` where the language wants it (fr: 1,5 heure, 2 heures). English keeps its words as before.
 * Lucca's own text is shown as it came.
 */
export function unitWord(unit: string, amount: number, language: Language): string {
  if (unit === 'hours' || unit === 'days') {
    const forms = UNIT_WORDS[language][unit];
    return pluralCategory(amount, language) === 'one' ? forms.one : forms.other;
  }
  const numbered = /^unit (\d+)$/.exec(unit);
  if (numbered && language === 'fr') return `unité ${numbered[1]}`;
  return unit;
}
