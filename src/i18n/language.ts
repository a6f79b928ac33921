/**
 * The languages the app speaks. Channel messages use APP_LANGUAGE (everyone in the channel reads
 * them); what one person reads alone uses that person's Slack locale when the app knows it.
 */
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'en';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** BCP 47 tag for `Intl` (`fr` → `fr-FR`: French as written in France, where Lucca's customers mostly are). */
export function intlLocale(language: Language): string {
  return language === 'fr' ? 'fr-FR' : 'en-GB';
}

/**
 * Slack's `users.info` `locale` (`fr-FR`, `en-US`, `fr-CA`…) → a language the app speaks, or
 * undefined for one it does not (the caller falls back to APP_LANGUAGE).
 */
export function languageOfLocale(locale: string | undefined): Language | undefined {
  if (!locale) return undefined;
  const primary = locale.toLowerCase().split(/[-_]/)[0];
  return isLanguage(primary) ? primary : undefined;
}

/**
 * One catalog per language, each checked against the English one's shape: a key missing or
 * mistyped in one language is a compile error (`satisfies Catalogs<typeof en>`).
 */
export type Catalogs<T> = { readonly [L in Language]: T };
