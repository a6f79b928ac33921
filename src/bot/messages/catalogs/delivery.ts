import type { Catalogs } from '../../../i18n/language.js';

interface Comment {
  scheduled: boolean;
  /** `<@U…>` of the person who asked. */
  requester: string;
  /** `payroll (#3), November 2026` */
  what: string;
  /** A link to the run's thread, when there is one. */
  thread: string | undefined;
}

/** The comment posted with the delivered file, in the channel (APP_LANGUAGE). */
const en = {
  comment: ({ scheduled, requester, what, thread }: Comment) =>
    `${scheduled ? 'The scheduled export' : `${requester}, your export`} is ready: ${what}.${
      thread ? ` Details in <${thread}|the thread>.` : ''
    }`,
};

export const deliveryText: Catalogs<typeof en> = {
  en,
  fr: {
    comment: ({ scheduled, requester, what, thread }) =>
      `${scheduled ? "L'export planifié est prêt" : `${requester}, votre export est prêt`} : ${what}.${
        thread ? ` Détails dans <${thread}|le fil>.` : ''
      }`,
  },
};
