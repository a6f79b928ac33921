import type { Catalogs } from '../../../i18n/language.js';

/** What a schedule posts in its channel (APP_LANGUAGE): the missed-occurrence warning and its Run now button. */
const en = {
  missed: (what: string, due: string) =>
    `:warning: The scheduled export of ${what}, was missed: it was due ${due} while the app was down (longer than SCHEDULE_CATCH_UP). Nothing was exported. Press *Run now* to export it.`,
  runNow: 'Run now',
  runNowTitle: 'Run this export now?',
  runNowText: (what: string, channel: string) =>
    `${what}, is exported now in ${channel}. The schedule itself does not change.`,
  notNow: 'Not now',
};

export const schedulePostText: Catalogs<typeof en> = {
  en,
  fr: {
    missed: (what, due) =>
      `:warning: L'export planifié de ${what} n'a pas eu lieu : il était prévu le ${due} pendant que l'application était arrêtée (plus longtemps que SCHEDULE_CATCH_UP). Rien n'a été exporté. Cliquez sur *Lancer maintenant* pour l'exporter.`,
    runNow: 'Lancer maintenant',
    runNowTitle: 'Lancer cet export maintenant ?',
    runNowText: (what, channel) =>
      `${what} est exporté maintenant dans ${channel}. La planification elle-même ne change pas.`,
    notNow: 'Pas maintenant',
  },
};
