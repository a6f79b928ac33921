import { intlLocale, type Language } from './language.js';

/**
 * Dates, numbers and plurals through `Intl`, so French reads "lundi 1 décembre 2026" and
 * "1 318,5 heures" without hand-written rules. Calendar dates (`YYYY-MM-DD`) are formatted at noon
 * UTC in UTC: a date has no time zone, and noon keeps every zone on the same day.
 */
function calendarDate(isoDate: string): Date {
  return new Date(`${isoDate}T12:00:00Z`);
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>(
  key: string,
  make: () => T,
): T {
  let value = cache.get(key) as T | undefined;
  if (!value) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

/** `2026-12-01` → en "Tue 1 Dec 2026", fr "mar. 1 déc. 2026". */
export function shortDate(isoDate: string, language: Language): string {
  const format = cached(
    `short:${language}`,
    () =>
      new Intl.DateTimeFormat(intlLocale(language), {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      }),
  );
  return format.format(calendarDate(isoDate)).replace(/,/g, '');
}

/** `2026-12-01` → en "Tuesday 1 December 2026", fr "mardi 1 décembre 2026". */
export function longDate(isoDate: string, language: Language): string {
  const format = cached(
    `long:${language}`,
    () =>
      new Intl.DateTimeFormat(intlLocale(language), {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      }),
  );
  return format.format(calendarDate(isoDate)).replace(/,/g, '');
}

/** (2026, 11) → en "November 2026", fr "novembre 2026". */
export function monthYear(year: number, month: number, language: Language): string {
  const format = cached(
    `month:${language}`,
    () => new Intl.DateTimeFormat(intlLocale(language), { month: 'long', year: 'numeric', timeZone: 'UTC' }),
  );
  return format.format(new Date(Date.UTC(year, month - 1, 15, 12)));
}

/** 1318.5 → en "1,318.5", fr "1 318,5" (narrow no-break space, as French typography wants). */
export function formatNumber(value: number, language: Language, maximumFractionDigits = 2): string {
  return cached(
    `number:${language}:${maximumFractionDigits}`,
    () => new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits }),
  ).format(value);
}

/** The plural category of `count` in `language` (fr: 0 and 1 are singular; en: only 1). */
export function pluralCategory(count: number, language: Language): Intl.LDMLPluralRule {
  return cached(`plural:${language}`, () => new Intl.PluralRules(intlLocale(language))).select(count);
}

/** `count` and the word that goes with it: `plural(2, 'fr', { one: 'personne', other: 'personnes' })` → "2 personnes". */
export function plural(count: number, language: Language, forms: { one: string; other: string }): string {
  const word = pluralCategory(count, language) === 'one' ? forms.one : forms.other;
  return `${formatNumber(count, language)} ${word}`;
}
