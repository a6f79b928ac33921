import { intlLocale, type Language } from './language.js';

/**
 * Numbers and plurals through `Intl`, so French reads "1 318,5 heures" without hand-written rules; and
 * the one cache of `Intl` formatters (building one costs far more than using it) for src/i18n.
 */
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>();

/** The formatter stored under `key`, made by `make` the first time. */
export function cachedFormat<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>(
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

/** 1318.5 → en "1,318.5", fr "1 318,5" (narrow no-break space, as French typography wants). */
export function formatNumber(value: number, language: Language, maximumFractionDigits = 2): string {
  return cachedFormat(
    `number:${language}:${maximumFractionDigits}`,
    () => new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits }),
  ).format(value);
}

/** The plural category of `count` in `language` (fr: 0 and 1 are singular; en: only 1). */
export function pluralCategory(count: number, language: Language): Intl.LDMLPluralRule {
  return cachedFormat(`plural:${language}`, () => new Intl.PluralRules(intlLocale(language))).select(count);
}

/** `count` and the word that goes with it: `plural(2, 'fr', { one: 'personne', other: 'personnes' })` → "2 personnes". */
export function plural(count: number, language: Language, forms: { one: string; other: string }): string {
  const word = pluralCategory(count, language) === 'one' ? forms.one : forms.other;
  return `${formatNumber(count, language)} ${word}`;
}
