import type { Catalogs, Language } from '../i18n/language.js';
import { humanDate } from '../i18n/periods.js';
import { RULE_DESCRIPTIONS, type ScheduleRule } from './rules.js';

/**
 * The words a scheduled run carries into its channel (its note, "caught up late", when it was due), in
 * APP_LANGUAGE. Plain text, no Slack markup: the scheduler knows nothing of Slack.
 */
const en = {
  caughtUpLate: 'Caught up late',
  rules: RULE_DESCRIPTIONS as Record<ScheduleRule, string>,
  at: (date: string, time: string, timezone: string) => `${date} at ${time} (${timezone})`,
  origin: (id: number, rule: string, description: string, time: string, timezone: string) =>
    `Started by schedule ${id} (${rule}: ${description}, at ${time} ${timezone}).`,
  late: (caughtUpLate: string, due: string, origin: string) =>
    `${caughtUpLate}: this export was due at ${due} while the app was down. ${origin}`,
};

export const scheduleWords: Catalogs<typeof en> = {
  en,
  fr: {
    caughtUpLate: 'Rattrapé en retard',
    rules: {
      'month-start': 'le 1er de chaque mois, pour exporter le mois qui vient de se terminer',
      'monday-after':
        "le premier lundi à partir du 1er, pour exporter jusqu'à ce lundi (pour les règles de calcul hebdomadaires)",
      'last-business-day':
        'le dernier jour ouvré (lundi–vendredi) du mois, pour exporter le mois avant sa fin : un aperçu',
    },
    at: (date, time, timezone) => `${date} à ${time} (${timezone})`,
    origin: (id, rule, description, time, timezone) =>
      `Lancé par la planification ${id} (${rule} : ${description}, à ${time} ${timezone}).`,
    late: (caughtUpLate, due, origin) =>
      `${caughtUpLate} : cet export était prévu le ${due} pendant que l'application était arrêtée. ${origin}`,
  },
};

/** `Mon 1 Feb 2027 at 08:00 (Europe/Paris)`, `lundi 1 février 2027 à 08:00 (Europe/Paris)`: the zone always written out. */
export function localDateTimeIn(
  occurrence: { localDate: string; localTime: string },
  timezone: string,
  language: Language,
): string {
  return scheduleWords[language].at(
    humanDate(occurrence.localDate, language),
    occurrence.localTime,
    timezone,
  );
}

/** How a late scheduled run's note begins, in each language; the parent message's headline says so too. */
export const CAUGHT_UP_LATE: Record<Language, string> = {
  en: scheduleWords.en.caughtUpLate,
  fr: scheduleWords.fr.caughtUpLate,
};

/** Whether a run's note says it was caught up late, whatever the language it was written in. */
export function isCaughtUpLateNote(note: string | null | undefined): boolean {
  return Object.values(CAUGHT_UP_LATE).some((prefix) => note?.startsWith(prefix) === true);
}
