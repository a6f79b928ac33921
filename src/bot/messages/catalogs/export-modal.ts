import type { Catalogs } from '../../../i18n/language.js';

/**
 * The export form (`/timesheet-export` with no text). Slack refuses the whole modal past its limits
 * (src/bot/messages/limits.ts): title, submit and close ≤ 24 characters, option texts and
 * descriptions ≤ 75 — in both languages (test/bot/messages/export-modal.test.ts measures them).
 */
const en = {
  title: 'Timesheet export',
  submit: 'Start export',
  close: 'Cancel',
  configuration: 'Configuration',
  configurationFirst: (shown: number, total: number) =>
    `Configuration (the first ${shown} of ${total}; type the number of another below)`,
  choose: 'Choose an export configuration',
  orNumber: '…or a configuration number',
  number: 'Configuration number',
  numberHint: 'The second number in the export configuration’s address in Lucca: …/export/1/3/latest → 3.',
  upTo: 'Export up to',
  firstOfMonth: (date: string) => `The 1st of this month (${date})`,
  firstOfMonthHelp: 'Exports last month: the usual month-end export.',
  monday: (date: string) => `The Monday after month end (${date})`,
  // Slack refuses the whole modal when an option description passes 75 characters.
  mondayHelp: 'For rules calculated by week (Lucca’s advice): the last week is complete.',
  custom: 'Another date (below)',
  customHelp: 'Everything before midnight of that date is exported.',
  otherDate: 'Other end date',
  // Field errors (plain text under the field).
  wholeNumber: 'Enter a whole number such as 3.',
  notBoth: (alias: string, id: number) =>
    `Choose a configuration or type a number, not both (${alias} is #${id}).`,
  fromList: 'Choose a configuration from the list, or type a number.',
  chooseConfiguration: 'Choose the configuration to export.',
  pickDate: 'Pick the end date, or choose one of the options above.',
};

export const exportModalText: Catalogs<typeof en> = {
  en,
  fr: {
    title: 'Export des temps',
    submit: "Lancer l'export",
    close: 'Annuler',
    configuration: "Configuration d'export",
    configurationFirst: (shown, total) =>
      `Configuration d'export (les ${shown} premières sur ${total} ; saisissez le numéro d'une autre ci-dessous)`,
    choose: "Choisissez une configuration d'export",
    orNumber: '…ou un numéro de configuration',
    number: 'Numéro de configuration',
    numberHint:
      "Le second nombre de l'adresse de la configuration d'export dans Lucca : …/export/1/3/latest → 3.",
    upTo: "Exporter jusqu'au",
    firstOfMonth: (date) => `Le 1er de ce mois (${date})`,
    firstOfMonthHelp: "Exporte le mois dernier : l'export de fin de mois habituel.",
    monday: (date) => `Le lundi après la fin du mois (${date})`,
    mondayHelp: 'Pour les règles de calcul hebdomadaires (conseil Lucca) : semaine complète.',
    custom: 'Une autre date (ci-dessous)',
    customHelp: 'Tout ce qui précède minuit à cette date est exporté.',
    otherDate: 'Autre date de fin',
    wholeNumber: 'Saisissez un nombre entier, par exemple 3.',
    notBoth: (alias, id) =>
      `Choisissez une configuration ou saisissez un numéro, pas les deux (${alias} correspond au n° ${id}).`,
    fromList: 'Choisissez une configuration dans la liste, ou saisissez un numéro.',
    chooseConfiguration: "Choisissez la configuration d'export.",
    pickDate: "Choisissez la date de fin, ou l'une des options ci-dessus.",
  },
};
