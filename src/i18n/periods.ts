import { addDays, DateInputError, isPreview, parseIsoDate } from '../calendar/end-date.js';
import { cachedFormat } from './intl.js';
import { type Catalogs, intlLocale, type Language } from './language.js';

/**
 * Export periods in words: what an export up to `endsAt` (Lucca's midnight end date, `YYYY-MM-DD`)
 * covers, read by a payroll manager. Dates and month names come from `Intl`; only the sentences are
 * written here. The calendar arithmetic stays in src/calendar.
 */

function parts(isoDate: string): { year: number; month: number; day: number } {
  const date = parseIsoDate(isoDate);
  if (!date) throw new DateInputError(`"${String(isoDate).slice(0, 40)}" is not YYYY-MM-DD`);
  return date;
}

function format(key: string, locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cachedFormat(`date:${key}`, () => new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }));
}

// Noon UTC read in UTC: a calendar date has no zone, and noon keeps it on its day.
const atNoon = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day, 12));

function field(date: Date, formatter: Intl.DateTimeFormat, type: Intl.DateTimeFormatPartTypes): string {
  return formatter.formatToParts(date).find((part) => part.type === type)?.value ?? '';
}

/**
 * `2026-12-01` → en `Tue 1 Dec 2026`, fr `mardi 1 décembre 2026`. English keeps its short form (en-US
 * names: en-GB writes "Sept"); French writes the date out, as a French letter does.
 */
export function humanDate(isoDate: string, language: Language): string {
  const { year, month, day } = parts(isoDate);
  const date = atNoon(year, month, day);
  if (language === 'fr') {
    return format('long:fr', intlLocale('fr'), {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    }).format(date);
  }
  const en = format('short:en', 'en-US', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
  return `${field(date, en, 'weekday')} ${day} ${field(date, en, 'month')} ${year}`;
}

/** 9 → en `September`, fr `septembre`. */
export function monthName(month: number, language: Language): string {
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new DateInputError(`month ${month}`);
  const locale = language === 'en' ? 'en-US' : intlLocale(language);
  return format(`month:${language}`, locale, { month: 'long' }).format(atNoon(2000, month, 15));
}

/** (2026, 11) → en `November 2026`, fr `novembre 2026`. */
function monthAndYear(year: number, month: number, language: Language): string {
  return `${monthName(month, language)} ${year}`;
}

/** `2026-12-01` → en `November 2026`, fr `novembre 2026`: the month an export up to a 1st covers. Undefined for other days. */
export function periodLabel(endsAt: string, language: Language): string | undefined {
  const { year, month, day } = parts(endsAt);
  if (day !== 1) return undefined;
  return month === 1 ? monthAndYear(year - 1, 12, language) : monthAndYear(year, month - 1, language);
}

const en = {
  upTo: (date: string) => `up to ${date}`,
  before: (date: string) => `everything before ${date}`,
  /** The first days of a month after a whole one: (2, 'Jan', 2027) → "1–3 Jan 2027". */
  firstDays: (lastDay: number, year: number, month: number) =>
    `${lastDay === 1 ? '1' : `1–${lastDay}`} ${field(atNoon(year, month, 1), format('monthShort:en', 'en-US', { month: 'short' }), 'month')} ${year}`,
  and: (whole: string, tail: string) => `${whole} and ${tail}`,
  preview: (lastDay: string, today: string) =>
    `Preview of a period that is not over: it runs until ${lastDay} and today is ${today}, so entries may still change. Export again once it is over for the final figures.`,
};

const WORDS: Catalogs<typeof en> = {
  en,
  fr: {
    upTo: (date) => `jusqu'au ${date}`,
    before: (date) => `tout ce qui précède le ${date}`,
    firstDays: (lastDay, year, month) =>
      lastDay === 1
        ? `1er ${monthName(month, 'fr')} ${year}`
        : `du 1er au ${lastDay} ${monthName(month, 'fr')} ${year}`,
    and: (whole, tail) => `${whole} et ${tail}`,
    preview: (lastDay, today) =>
      `Aperçu d'une période qui n'est pas terminée : elle court jusqu'au ${lastDay} et nous sommes le ${today}, les saisies peuvent donc encore changer. Relancez l'export une fois la période terminée pour avoir les chiffres définitifs.`,
  },
};

/** What a payroll manager calls the period: en "November 2026", or "up to Mon 7 Dec 2026"; fr "novembre 2026", "jusqu'au lundi 7 décembre 2026". */
export function periodName(endsAt: string, language: Language): string {
  return periodLabel(endsAt, language) ?? WORDS[language].upTo(humanDate(endsAt, language));
}

/**
 * What an export up to `endsAt` contains:
 * `2026-12-01` → "everything before Tue 1 Dec 2026 (November 2026)";
 * `2027-01-04` (a "monday" end) → "everything before Mon 4 Jan 2027 (December 2026 and 1–3 Jan 2027)".
 */
export function describePeriod(endsAt: string, language: Language): string {
  const { year, month, day } = parts(endsAt);
  const words = WORDS[language];
  const before = words.before(humanDate(endsAt, language));
  const month1 = periodLabel(endsAt, language);
  if (month1) return `${before} (${month1})`;
  if (day <= 7) {
    const whole = periodLabel(`${endsAt.slice(0, 8)}01`, language)!;
    return `${before} (${words.and(whole, words.firstDays(day - 1, year, month))})`;
  }
  return before;
}

/** Why a preview's figures are not final, for the reply and the thread; undefined when it is no preview. */
export function previewNote(endsAt: string, today: string, language: Language): string | undefined {
  if (!isPreview(endsAt, today)) return undefined;
  return WORDS[language].preview(humanDate(addDays(endsAt, -1), language), humanDate(today, language));
}
