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
 * mistyped in one language is a compile error.
 *
 * The convention (#13: typed TypeScript catalogs and `Intl`, no i18n library):
 * - One catalog per Slack surface, next to its builders: `src/bot/messages/catalogs/<surface>.ts`
 *   exports `<surface>Text`. Write the English object first; its type is the shape:
 *
 *     const en = {
 *       cancelled: ':no_entry_sign: Cancelled.',
 *       people: (n: number, language: Language) => plural(n, language, { one: 'person', other: 'people' }),
 *     };
 *     export const runThreadText: Catalogs<typeof en> = { en, fr: { ... } };
 *
 * - Entries are strings, or pure functions of typed parameters (counts, names, dates as
 *   `YYYY-MM-DD`): plurals, dates and numbers go through src/i18n/intl.ts (`Intl`), never
 *   `count + 's'` nor a hand-written month name.
 * - Builders stay pure: they take `language: Language` (required, no default, so a forgotten one is
 *   a compile error) and pick `xxxText[language]`. Channel messages get APP_LANGUAGE
 *   (`config.language`); what one person reads alone gets that person's language.
 * - French is written as a French payroll manager writes it: vouvoiement, "export",
 *   "configuration d'export", "Relancer", "Annuler". Typography: a plain space before `:` `;` `?` `!`
 *   (Slack shows it as written; the no-break space is not used, so catalogs stay easy to edit).
 * - Values that come from Lucca or Slack (names, ids, mentions) are parameters, never translated.
 */
export type Catalogs<T> = { readonly [L in Language]: T };
